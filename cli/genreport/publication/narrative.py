"""The narrative audit: the 情况说明's figures against those the template prints for the imported tables.

The profile's template is rendered twice from the imported workbook: as imported (its inputs blank) and with
every input filled with made-up values. A figure both renders print alike depends on the tables alone; the
publication's clauses are aligned with the first render (numbers masked) and every such figure it states
differently is one finding, with its page and sentence. Figures that depend on inputs the publication's text
does not hand over (budgets, prior-year amounts, counts) are not audited.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ..address import Address
from ..issues import Issue
from ..model import Workbook
from ..profile import Profile
from .document import Document, Grid, Line, is_footer, page_label

#: A figure in running text: 2024, 10,394.91, 52.76%.
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
_SENTENCE_END = "。；;！？"


@dataclass(frozen=True)
class Clause:
    """A clause of running text: its words with the figures masked, the figures, its sentence and page."""

    skeleton: str
    numbers: tuple[str, ...]
    sentence: str
    page: int | None


def narrative_issues(document: Document, workbook: Workbook, profile: Profile, data: dict[str, Any]) -> list[Issue]:
    """Return one narrative-mismatch per figure the publication states differently from what its tables give."""
    with tempfile.TemporaryDirectory(prefix="genreport-") as folder:
        plain = _rendered_clauses(workbook, profile, Path(folder) / "a.docx")
        filled = _rendered_clauses(_filled_workbook(data, profile, Path(folder)), profile, Path(folder) / "b.docx")
    audited = _table_only(plain, filled)
    published = clauses(document)
    issues = []
    matcher = SequenceMatcher(None, [c.skeleton for c in plain], [c.skeleton for c in published], autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            expected, stated = plain[block.a + offset], published[block.b + offset]
            for position in audited.get(block.a + offset, ()):
                if _value(expected.numbers[position]) != _value(stated.numbers[position]):
                    issues.append(_finding(profile, stated, stated.numbers[position], expected.numbers[position]))
    return issues


def clauses(document: Document) -> list[Clause]:
    """Return the running text of a document as clauses (tables, page numbers and empty lines left out)."""
    pieces: list[tuple[str, int | None]] = []
    for block in document.blocks:
        if isinstance(block, Line) and block.text and not is_footer(block.text):
            pieces.append((_plain(block.text), block.page))
        elif isinstance(block, Grid):
            pieces.append(("\n", None))  # a table breaks the running text
    text, starts = "", []
    for piece, page in pieces:
        starts.append((len(text), page))
        text += piece
    found = []
    for sentence, at in _split(text, f"[{_SENTENCE_END}\n]"):
        for clause, offset in _split(sentence, "[，：]"):
            if clause.strip():
                numbers = tuple(_NUMBER.findall(clause))
                skeleton = _NUMBER.sub("#", clause).rstrip(_SENTENCE_END + "，：")  # "…万元，" is "…万元。"
                found.append(Clause(skeleton, numbers, sentence.strip(), _page_at(starts, at + offset)))
    return found


def _split(text: str, ends: str) -> list[tuple[str, int]]:
    """Return the pieces of text ending after each end character, with their offsets."""
    pieces, start = [], 0
    for match in re.finditer(ends, text):
        pieces.append((text[start:match.end()], start))
        start = match.end()
    if start < len(text):
        pieces.append((text[start:], start))
    return pieces


def _page_at(starts: list[tuple[int, int | None]], offset: int) -> int | None:
    page = None
    for start, number in starts:
        if start > offset:
            break
        page = number
    return page


def _plain(text: str) -> str:
    """Return text without whitespace (full-width punctuation kept: an ASCII comma belongs to a number)."""
    return re.sub(r"\s+", "", text)


def _value(number: str) -> str:
    return number.replace(",", "")


def _table_only(plain: list[Clause], filled: list[Clause]) -> dict[int, tuple[int, ...]]:
    """Return clause index → positions of the figures both renders print alike (they depend on tables alone)."""
    audited: dict[int, tuple[int, ...]] = {}
    matcher = SequenceMatcher(None, [c.skeleton for c in plain], [c.skeleton for c in filled], autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            a, b = plain[block.a + offset], filled[block.b + offset]
            same = tuple(i for i, (x, y) in enumerate(zip(a.numbers, b.numbers)) if x == y)
            if same:
                audited[block.a + offset] = same
    return audited


def _rendered_clauses(workbook: Workbook, profile: Profile, target: Path) -> list[Clause]:
    """Return the clauses of the report the profile's template prints for workbook."""
    from ..figures import compute_figures
    from ..render import render_report
    from ..render.docxread import read_docx

    render_report(profile.template_path, workbook, compute_figures(workbook, profile), profile, target)
    return clauses(read_docx(target))


def _filled_workbook(data: dict[str, Any], profile: Profile, folder: Path) -> Workbook:
    """Return the imported workbook with every blank input filled with made-up values (see _fill)."""
    from ..excel import read_workbook, write_workbook

    filled = copy.deepcopy(data)
    _fill(filled, profile)
    workbook, _ = read_workbook(write_workbook(folder / "filled.xlsx", profile.workbook_spec, filled),
                                profile.workbook_spec)
    workbook.profile = profile.id if profile.root is None else str(profile.root)
    return workbook


def _fill(data: dict[str, Any], profile: Profile) -> None:
    """Fill every blank form input, and add list rows: one per 科目 of the tables for a list keyed by code."""
    spec = profile.workbook_spec
    made = iter(range(1, 100000))
    codes = [(r["code"], r.get("name", "")) for t in data["tables"].values() for r in t.get("rows", [])
             if r.get("name")]
    for sheet in spec.inputs:
        if sheet.layout == "form":
            values = data["forms"].setdefault(sheet.id, {})
            for field in sheet.fields:
                if values.get(field.id) in (None, "") and field.type in ("money", "count"):
                    values[field.id] = _made_up(field, next(made))
            continue
        keyed = any(f.id == "code" for f in sheet.fields)
        choice = next((f for f in sheet.fields if f.type == "choice"), None)
        rows = data["lists"].setdefault(sheet.id, [])
        for code, name in codes if keyed else [("", "")]:
            for option in (choice.options if keyed and choice else (choice.options[:1] if choice else ("",))):
                row = {f.id: _made_up(f, next(made)) for f in sheet.fields if f.type in ("money", "count")}
                row.update({f.id: "甲" for f in sheet.fields if f.type in ("text", "paragraphs")})
                row.update({"code": code, "name": name} if keyed else {})
                if choice is not None:
                    row[choice.id] = option
                rows.append(row)


def _made_up(field: Any, number: int) -> Any:
    """Return a made-up input value: a count of 3–7, or an amount unlike any table's (7001.37, 7002.37…)."""
    return 3 + number % 5 if field.type == "count" else Decimal(7000 + number) + Decimal("0.37")


def _finding(profile: Profile, clause: Clause, stated: str, computed: str) -> Issue:
    sentence = clause.sentence if len(clause.sentence) <= 80 else clause.sentence[:78] + "……"
    issue = profile.catalogue.issue("narrative-mismatch", Address("情况说明"), sentence=sentence, stated=stated,
                                    computed=computed)
    return dataclasses.replace(issue, page=page_label(clause.page))
