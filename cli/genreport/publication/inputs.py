"""The inputs the 情况说明 states (budgets per 项, amounts and counts of the input sheets), read where the template
prints them: the template is rendered with every input made up, and each made-up figure's place in that text is
looked up in the publication (its clauses aligned by their words, figures masked)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ..amounts import NotANumber, parse_amount
from ..model import Workbook
from ..profile import Profile
from ..units import unit_factor
from .document import Document, page_label
from .narrative_text import Clause, clauses, number_value


@dataclass
class MadeUp:
    """Workbook data with every input made up, and what each made-up figure prints as (text → its input)."""

    data: dict[str, Any]
    printed: dict[str, tuple[str, int | None, Any]] = field(default_factory=dict)
    """Printed figure (no thousands separator) → (input id, list row index or None, the Field)."""
    rows: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    """(list id, row index) → the made-up row's keys (code, name, choice) a read value is filed under."""


def made_up(data: dict[str, Any], profile: Profile) -> MadeUp:
    """Return data with every blank form amount or count made up, and rows added to each list keyed by 科目编码
    (one per 科目 of the tables and option of its choice column) and one row to every other list; only the
    forms' and the keyed lists' values are noted to be read back (see _value_for)."""
    result = MadeUp(copy.deepcopy(data))
    spec = profile.workbook_spec
    numbers = iter(range(1, 100000))
    for sheet in spec.inputs:
        if sheet.layout == "list":
            _made_up_rows(result, sheet, numbers, spec.text_unit)
            continue
        values = result.data["forms"].setdefault(sheet.id, {})
        for item in sheet.fields:
            if values.get(item.id) in (None, "") and item.type in ("money", "count"):
                values[item.id] = _value_for(result, item, next(numbers), spec.text_unit, (sheet.id, None))
    return result


def _made_up_rows(made: MadeUp, sheet: Any, numbers: Any, text_unit: str) -> None:
    """Add made-up rows to a list: one per 科目 and option when keyed by code, else one (a list of projects,
    whose totals the text prints and no one row can take: its values are not read back)."""
    keyed = any(f.id == "code" for f in sheet.fields)
    choice = next((f for f in sheet.fields if f.type == "choice"), None)
    codes = [(r["code"], r.get("name", "")) for t in made.data["tables"].values() for r in t.get("rows", [])
             if r.get("name")]
    rows = made.data["lists"].setdefault(sheet.id, [])
    read = {(r.get("code"), r.get(choice.id) if choice else "") for r in rows}
    for code, name in codes if keyed else [("", "")]:
        for option in (choice.options if keyed else choice.options[:1]) if choice else ("",):
            if keyed and (code, option) in read:
                continue  # read from the text already: kept as read, so what depends on it is audited
            keys = {"code": code, "name": name} if keyed else {}
            keys.update({choice.id: option} if choice else {})
            owner = (sheet.id, len(rows)) if keyed else None
            row = {f.id: _value_for(made, f, next(numbers), text_unit, owner)
                   for f in sheet.fields if f.type in ("money", "count")}
            row.update({f.id: "甲" for f in sheet.fields if f.type in ("text", "paragraphs")}, **keys)
            made.rows[(sheet.id, len(rows))] = keys
            rows.append(row)


def _value_for(made: MadeUp, item: Any, number: int, text_unit: str, owner: tuple[str, int | None] | None) -> Any:
    """Return a made-up value for a field and, when owner is given, note what it prints as (to be read back).

    Amounts are 7000 + number and irregular cents (in the text's unit), so that no difference or sum of two of
    them with a table's amount is likely to print as a third; counts are 900 + number.
    """
    value: Any = 900 + number
    if item.type == "money":
        value = (Decimal(7000 + number) + Decimal((number * 37 + 11) % 97 + 1) / 100).quantize(Decimal("0.01"))
    if owner is not None and (item.type == "count" or item.unit == text_unit):
        made.printed[str(value)] = (owner[0], owner[1], item)
    return value if item.type == "count" else value * unit_factor(text_unit) / unit_factor(item.unit)


def rendered_clauses(workbook: Workbook, profile: Profile, target: Path) -> list[Clause]:
    """Return the clauses of the report the profile's template prints for workbook."""
    from ..figures import compute_figures
    from ..render import render_report
    from ..render.docxread import read_docx

    render_report(profile.template_path, workbook, compute_figures(workbook, profile), profile, target)
    return clauses(read_docx(target))


def workbook_of(data: dict[str, Any], profile: Profile, target: Path) -> Workbook:
    """Return the workbook the data makes (written to target and read back, as the user's would be)."""
    from ..excel import read_workbook, write_workbook

    workbook, _ = read_workbook(write_workbook(target, profile.workbook_spec, data), profile.workbook_spec)
    return workbook


def aligned(ours: list[Clause], theirs: list[Clause]) -> list[tuple[Clause, Clause]]:
    """Return the pairs of clauses with the same words (figures masked), in document order."""
    matcher = SequenceMatcher(None, [c.skeleton for c in ours], [c.skeleton for c in theirs], autojunk=False)
    return [(ours[b.a + i], theirs[b.b + i]) for b in matcher.get_matching_blocks() for i in range(b.size)]


def read_inputs(document: Document, imported: Any, folder: Path) -> list[Clause]:
    """Fill imported.data's inputs with the figures the publication states where the template prints them.

    Returns the clauses of the made-up render (the narrative audit reuses them). Only inputs in the text's
    unit are read (an amount in 元 is not recovered from one printed in 万元).
    """
    profile = imported.profile
    made = made_up(imported.data, profile)
    ours = rendered_clauses(workbook_of(made.data, profile, folder / "made-up.xlsx"), profile, folder / "m.docx")
    read: dict[tuple[str, int | None, str], tuple[Any, int | None]] = {}
    for mine, stated in aligned(ours, clauses(document)):
        for position, figure in enumerate(mine.numbers):
            target = made.printed.get(number_value(figure))
            if target is not None and (target[0], target[1], target[2].id) not in read:
                value = _stated(stated.numbers[position], target[2])
                if value is not None:
                    read[(target[0], target[1], target[2].id)] = (value, stated.page)
    _file(imported, made, read)
    return ours


def _stated(text: str, item: Any) -> Any:
    try:
        value = parse_amount(text.rstrip("%"))
    except NotANumber:
        return None
    if value is None or item.type == "money" or value != value.to_integral_value():
        return value if item.type == "money" else None
    return int(value)


def _file(imported: Any, made: MadeUp, read: dict[tuple[str, int | None, str], tuple[Any, int | None]]) -> None:
    """Put the values read into the imported data (forms by field, list rows by their made-up keys)."""
    data, places = imported.data, imported.places
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    pages: dict[tuple[str, int], dict[str, int | None]] = {}
    for (input_id, index, field_id), (value, page) in read.items():
        if index is None:
            data["forms"].setdefault(input_id, {})[field_id] = value
            places[(input_id, field_id)] = page_label(page)
        else:
            rows.setdefault((input_id, index), dict(made.rows[(input_id, index)]))[field_id] = value
            pages.setdefault((input_id, index), {})[field_id] = page
    for (input_id, index), row in sorted(rows.items()):
        records = data["lists"].setdefault(input_id, [])
        for field_id, page in pages[(input_id, index)].items():
            places[(input_id, str(len(records)), field_id)] = page_label(page)
        records.append(row)
