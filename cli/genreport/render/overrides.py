"""Paragraph keys and wording overrides: bookmarks named gr_<key> mark the 情况说明 paragraphs.

After the single docxtpl render, repeated bookmarks (paragraphs inside loops) are numbered
(key.1, key.2 …), and the accountant's 文字调整 rows replace a paragraph or add one after it —
set as literal text with python-docx, so nothing typed is ever evaluated as a template.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from collections.abc import Iterable
from dataclasses import dataclass

from docx.oxml.ns import qn

from ..address import Address
from ..issues import Catalogue

PREFIX = "gr_"


@dataclass(frozen=True)
class Override:
    """One 文字调整 row: replace the paragraph at key, add a paragraph after it, or delete it."""

    key: str
    text: str
    append: bool = False
    sheet: str = ""
    cell: str = ""
    delete: bool = False
    original: str = ""
    """The paragraph as generated when an editor's wording was absorbed (genreport absorb), else ""."""
    text_cell: str = ""
    """The cell of the row's text (where a sentence with an outdated figure is reported)."""


def bookmark_name(key: str) -> str:
    """Return the bookmark name for a paragraph key (s5.3.item → gr_s5_3_item)."""
    return PREFIX + key.replace(".", "_")


def key_of(name: str) -> str:
    """Return the paragraph key of a bookmark name (gr_s5_3_item_2 → s5.3.item.2)."""
    return name[len(PREFIX):].replace("_", ".")


def number_bookmarks(body) -> dict[str, object]:
    """Give repeated gr_ bookmarks unique names (…_1, _2) and ids; return key → paragraph element."""
    counts: dict[str, int] = {}
    paragraphs: dict[str, object] = {}
    next_id = 900000
    for start in list(body.iter(qn("w:bookmarkStart"))):
        name = start.get(qn("w:name"), "")
        if not name.startswith(PREFIX):
            continue
        paragraph = start.getparent()
        counts[name] = counts.get(name, 0) + 1
        old_id = start.get(qn("w:id"))
        next_id += 1
        unique = f"{name}_{counts[name]}"
        start.set(qn("w:name"), unique)
        start.set(qn("w:id"), str(next_id))
        for end in paragraph.iter(qn("w:bookmarkEnd")):
            if end.get(qn("w:id")) == old_id:
                end.set(qn("w:id"), str(next_id))
        paragraphs[key_of(unique)] = paragraph
        if counts[name] == 1:
            paragraphs[key_of(name)] = paragraph
    return paragraphs


def apply_overrides(body, overrides: Iterable[Override], paragraphs: dict[str, object] | None = None) -> list[Override]:
    """Apply the overrides to the rendered document body; return those whose key was not found.

    paragraphs is number_bookmarks(body) when already done. Paragraphs added after the same key keep the rows'
    order; deleted paragraphs go last, so additions after them still find their place.
    """
    paragraphs = number_bookmarks(body) if paragraphs is None else paragraphs
    unknown, last, deleted = [], {}, []
    for override in overrides:
        paragraph = paragraphs.get(normal_key(override.key))
        if paragraph is None:
            unknown.append(override)
        elif override.delete:
            deleted.append(paragraph)
        elif override.append:
            added = _copy_with_text(paragraph, override.text)
            last.get(id(paragraph), paragraph).addnext(added)
            last[id(paragraph)] = added
        else:
            _set_text(paragraph, override.text)
    for paragraph in deleted:
        if paragraph.getparent() is not None:
            paragraph.getparent().remove(paragraph)
    return unknown


def normal_key(key: str) -> str:
    """Return key as the overrides look it up: spaces dropped, gr_ and underscores of a bookmark name undone."""
    key = re.sub(r"\s+", "", key).replace("_", ".")
    return key[len(PREFIX):] if key.startswith(PREFIX) else key


def _set_text(paragraph, text: str) -> None:
    runs = paragraph.findall(qn("w:r"))
    for run in runs[1:]:
        paragraph.remove(run)
    if runs:
        run = runs[0]
        for child in list(run):
            if child.tag != qn("w:rPr"):
                run.remove(child)
    else:
        run = paragraph.makeelement(qn("w:r"), {})
        paragraph.append(run)
    t = run.makeelement(qn("w:t"), {qn("xml:space"): "preserve"})
    t.text = text
    run.append(t)


def _copy_with_text(paragraph, text: str):
    clone = copy.deepcopy(paragraph)
    for mark in list(clone.iter(qn("w:bookmarkStart"))) + list(clone.iter(qn("w:bookmarkEnd"))):
        mark.getparent().remove(mark)
    _set_text(clone, text)
    return clone


def paragraph_keys(body) -> list[str]:
    """Return the paragraph keys a template defines, in document order (without occurrence numbers)."""
    seen: dict[str, None] = {}
    for start in body.iter(qn("w:bookmarkStart")):
        name = start.get(qn("w:name"), "")
        if name.startswith(PREFIX):
            seen[key_of(name)] = None
    return list(seen)


def template_keys_with_headings(path: Path) -> list[tuple[str, str]]:
    """Return (key, the heading it sits under) for every keyed paragraph of the template at path."""
    from docx import Document

    return describe_keys(Document(str(path)))


def describe_keys(document) -> list[tuple[str, str]]:
    """Return (key, the heading it sits under) for every keyed paragraph of a python-docx template."""
    described = []
    heading = ""
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            heading = paragraph.text
        for start in paragraph._p.iter(qn("w:bookmarkStart")):
            name = start.get(qn("w:name"), "")
            if name.startswith(PREFIX):
                described.append((key_of(name), heading))
    return described


# ---- the key list: `genreport template keys` and the check of the 文字调整 sheet ------------------------------

_JINJA_OUTPUT = re.compile(r"\{\{.*?\}\}")
_JINJA_STATEMENT = re.compile(r"\{%.*?%\}|\{#.*?#\}")
OPENING_CHARS = 40


@dataclass(frozen=True)
class KeyInfo:
    """One paragraph key: the heading it sits under and the first words of its paragraph."""

    key: str
    heading: str
    opening: str


def document_keys(path) -> list[KeyInfo]:
    """Return every paragraph key of a template or generated .docx at path, in document order.

    In a generated document a paragraph repeated by a loop is listed once per occurrence (key.1, key.2 …);
    a key that occurs once is listed without a number. Template text shows tags as “…”.
    """
    from docx import Document

    found: list[tuple[str, str, str]] = []
    heading = ""
    for paragraph in Document(str(path)).paragraphs:
        if paragraph.style.name.startswith("Heading"):
            heading = paragraph.text
        for start in paragraph._p.iter(qn("w:bookmarkStart")):
            name = start.get(qn("w:name"), "")
            if name.startswith(PREFIX):
                found.append((key_of(name), heading, _opening(paragraph.text)))
    return _unnumber_single(found)


def _opening(text: str) -> str:
    text = _JINJA_STATEMENT.sub("", _JINJA_OUTPUT.sub("…", text))
    text = re.sub(r"(…\s*)+", "…", text).strip()
    return text if len(text) <= OPENING_CHARS else text[:OPENING_CHARS] + "…"


def _unnumber_single(found: list[tuple[str, str, str]]) -> list[KeyInfo]:
    """Drop the occurrence number of keys that a generated document has only once (s1.1 → s1)."""
    bases = [key.rsplit(".", 1)[0] if key.rsplit(".", 1)[-1].isdigit() else None for key, _, _ in found]
    counts = {b: bases.count(b) for b in bases if b}
    return [KeyInfo(base if base and counts[base] == 1 else key, heading, opening)
            for (key, heading, opening), base in zip(found, bases)]


def known_key(key: str, keys: Iterable[str]) -> bool:
    """True when key names a paragraph: one of keys, or key.N for a paragraph repeated in a loop."""
    key, keys = normal_key(key), set(keys)
    base, _, number = key.rpartition(".")
    return key in keys or (number.isdigit() and base in keys)


def nearest_keys(key: str, infos: list[KeyInfo], count: int = 3) -> list[str]:
    """Return the keys nearest to a wrong one: by spelling, else those of the section it names (五.… → s5…)."""
    import difflib

    keys = [i.key for i in infos]
    near = difflib.get_close_matches(normal_key(key), keys, n=count, cutoff=0.6)
    if near:
        return near
    section = re.match(r"[一二三四五六七八九十]+", key.strip())
    number = _NUMERALS.index(section.group(0)) + 1 if section and section.group(0) in _NUMERALS else None
    under = [k for k in keys if number and (k == f"s{number}" or k.startswith(f"s{number}."))]
    return under[:count]


_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"]


def key_issues(overrides: list[Override], template, catalogue: Catalogue) -> list:
    """Return an unknown-paragraph-key warning for each 文字调整 row whose key the template does not have."""
    if not overrides:
        return []
    infos = document_keys(template)
    keys = [i.key for i in infos]
    return [unknown_key_issue(o, infos, catalogue) for o in overrides if not known_key(o.key, keys)]


def unknown_key_issue(override: Override, infos: list[KeyInfo], catalogue: Catalogue):
    """Return the warning for one 文字调整 row whose key is not in the template, suggesting the nearest keys."""
    near = nearest_keys(override.key, infos)
    hint = f"是否想用 {'、'.join(near)}？" if near else ""
    return catalogue.issue("unknown-paragraph-key", Address.parse(override.sheet, override.cell), hint=hint,
                           expected="、".join(near), actual=override.key)
