"""Next year's workbook from last year's: texts copied, year advanced, prior-year figures filled."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .units import convert
from .model import Workbook


def resolve(workbook: Workbook, ref: str) -> Any:
    """Return the value a reference names: "t01.income_total.amount" (table.line.column) or "other.agency_cost"."""
    parts = ref.split(".")
    if len(parts) == 3 and parts[0] in workbook.tables:
        return workbook.tables[parts[0]].cell(parts[1], parts[2]).value
    if len(parts) == 2:
        return workbook.value(parts[0], parts[1])
    raise KeyError(ref)


def unit_of_ref(workbook: Workbook, ref: str) -> str:
    """Return the money unit of the cell a reference names (its table's, or its input field's)."""
    parts = ref.split(".")
    if len(parts) == 3 and parts[0] in workbook.tables:
        return workbook.tables[parts[0]].spec.unit
    return workbook.spec.input(parts[0]).field(parts[1]).unit


def next_year_data(last: Workbook) -> tuple[dict[str, Any], set[tuple[str, str]]]:
    """Return (plain workbook data, pre-filled (input, field) pairs) for the year after last's.

    Every form field with a `carry` rule in the spec is filled: `same` copies last year's value,
    `next_year` adds one to the year, any other rule is a reference resolved in last year's workbook (a table
    cell left blank there is 0: last year's tables show none). A list whose columns carry `same` (the units
    that make up the organisation) is copied row by row, those columns only.
    """
    forms: dict[str, dict[str, Any]] = {}
    lists: dict[str, list[dict[str, Any]]] = {}
    prefilled: set[tuple[str, str]] = set()
    for sheet in last.spec.inputs:
        if sheet.layout != "form":
            rows = _carried_rows(last, sheet)
            if rows:
                lists[sheet.id] = rows
            continue
        for field in sheet.fields:
            if not field.carry:
                continue
            value = _carried(last, sheet.id, field.id, field.carry)
            if isinstance(value, Decimal) and field.type == "money" and field.carry not in ("same", "next_year"):
                value = convert(value, unit_of_ref(last, field.carry), field.unit)
            if value is None:
                continue
            forms.setdefault(sheet.id, {})[field.id] = value
            if field.carry != "same" and field.carry != "next_year":
                prefilled.add((sheet.id, field.id))
    return {"forms": forms, "lists": lists}, prefilled


def _carried(last: Workbook, input_id: str, field_id: str, rule: str) -> Any:
    if rule == "same":
        return last.value(input_id, field_id)
    if rule == "next_year":
        year = last.value(input_id, field_id)
        return year + 1 if year else None
    value = resolve(last, rule)
    if value is None and rule.split(".")[0] in last.tables:
        return Decimal(0)
    return value


def _carried_rows(last: Workbook, sheet: Any) -> list[dict[str, Any]]:
    """Return the rows of a list with the values of its `carry: same` columns (rows with none of them left out)."""
    columns = [f.id for f in sheet.fields if f.carry == "same"]
    rows = [{c: record[c].value for c in columns if c in record} for record in last.lists.get(sheet.id, [])]
    return [row for row in rows if any(v is not None for v in row.values())]
