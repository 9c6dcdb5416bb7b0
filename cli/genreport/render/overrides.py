"""Paragraph keys and wording overrides: bookmarks named gr_<key> mark the 情况说明 paragraphs.

After the single docxtpl render, repeated bookmarks (paragraphs inside loops) are numbered
(key.1, key.2 …), and the accountant's 文字调整 rows replace a paragraph or add one after it —
set as literal text with python-docx, so nothing typed is ever evaluated as a template.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass

from docx.oxml.ns import qn

PREFIX = "gr_"


@dataclass(frozen=True)
class Override:
    """One 文字调整 row: replace the paragraph at key, or add a paragraph after it."""

    key: str
    text: str
    append: bool = False
    sheet: str = ""
    cell: str = ""


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


def apply_overrides(body, overrides: Iterable[Override]) -> list[Override]:
    """Apply the overrides to the rendered document body; return those whose key was not found."""
    paragraphs = number_bookmarks(body)
    unknown = []
    for override in overrides:
        paragraph = paragraphs.get(_normal_key(override.key))
        if paragraph is None:
            unknown.append(override)
        elif override.append:
            paragraph.addnext(_copy_with_text(paragraph, override.text))
        else:
            _set_text(paragraph, override.text)
    return unknown


def _normal_key(key: str) -> str:
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
