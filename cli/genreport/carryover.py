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
    `next_year` adds one to the year, any other rule is a reference resolved in last year's workbook.
    """
    forms: dict[str, dict[str, Any]] = {}
    prefilled: set[tuple[str, str]] = set()
    for sheet in last.spec.inputs:
        for field in sheet.fields:
            if not field.carry or sheet.layout != "form":
                continue
            value = _carried(last, sheet.id, field.id, field.carry)
            if isinstance(value, Decimal) and field.type == "money" and field.carry not in ("same", "next_year"):
                value = convert(value, unit_of_ref(last, field.carry), field.unit)
            if value is None:
                continue
            forms.setdefault(sheet.id, {})[field.id] = value
            if field.carry != "same" and field.carry != "next_year":
                prefilled.add((sheet.id, field.id))
    return {"forms": forms}, prefilled


def _carried(last: Workbook, input_id: str, field_id: str, rule: str) -> Any:
    if rule == "same":
        return last.value(input_id, field_id)
    if rule == "next_year":
        year = last.value(input_id, field_id)
        return year + 1 if year else None
    return resolve(last, rule)
