"""Unit hints: an amount implausible for the department's own scale was probably typed in 元, not 万元."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fnmatch import fnmatchcase
from statistics import median
from typing import Any

from ..amounts import quantize
from ..issues import Issue
from ..model import Value, Workbook
from . import register
from ..catalogue import catalogue_for
from ..tablecells import line_label, row_label
from ..expression import parse
from ..operands import resolve_side

WAN = Decimal(10000)


@register("units")
def check_units(workbook: Workbook) -> Iterator[Issue]:
    """Yield unit-hint for an amount above the department's 总计 (inputs: `input_factor` times it) or
    `neighbours` times the median of the other amounts of its table or sheet."""
    catalogue = catalogue_for(workbook.spec)
    conf = catalogue.section("units")
    if not conf:
        return
    scale = _scale(workbook, conf["scale"])
    paired = _paired_cells(workbook, catalogue.section("magnitudes", {}) or {})
    for cells in _table_cells(workbook):
        yield from _hints(catalogue, [c for c in cells if _key(c[0]) not in paired], scale, conf, Decimal(1))
    for cells in _input_cells(workbook, conf.get("not_amounts", [])):
        yield from _hints(catalogue, [c for c in cells if _key(c[0]) not in paired], scale, conf,
                          Decimal(str(conf["input_factor"])))


def _paired_cells(workbook: Workbook, magnitudes: dict[str, Any]) -> set[tuple[str, str]]:
    """Return the cells magnitude-mismatch compares with this year's figure: it gives their unit hint."""
    cells = set()
    for pair in magnitudes.get("pairs", []):
        for operand in resolve_side(parse(pair["other"]).lhs, workbook) or []:
            cells.add(_key(operand.value))
    return cells


def _key(value: Value) -> tuple[str, str]:
    return (value.sheet, value.cell)


def _scale(workbook: Workbook, ref: str) -> Decimal | None:
    table, line, column = ref.split(".")
    value = workbook.tables[table].cell(line, column) if table in workbook.tables else None
    return value.value if value is not None and isinstance(value.value, Decimal) and value.value > 0 else None


def _hints(catalogue: Any, cells: list[tuple[Value, str]], scale: Decimal | None, conf: dict[str, Any],
           factor: Decimal) -> Iterator[Issue]:
    amounts = [abs(v.value) for v, _ in cells if isinstance(v.value, Decimal) and v.value != 0]
    for value, label in cells:
        if not isinstance(value.value, Decimal) or value.bad:
            continue
        amount = abs(value.value)
        others = list(amounts)
        if amount in others:
            others.remove(amount)
        over_scale = scale is not None and amount > scale * factor
        typical = Decimal(median(others)) if len(others) >= conf["min_neighbours"] else None
        over_neighbours = typical is not None and amount >= typical * conf["neighbours"]
        if over_scale or over_neighbours:
            yield catalogue.issue("unit-hint", value, variant="scale" if over_scale and scale is not None else "neighbours",
                                  label=label, amount=amount, scale=scale, yuan=quantize(amount / WAN),
                                  actual=f"{amount:,.2f}")


def _table_cells(workbook: Workbook) -> Iterator[list[tuple[Value, str]]]:
    for table in workbook.tables.values():
        cells = [(v, line_label(table.spec, line, column)) for line, row in table.lines.items()
                 for column, v in row.items()]
        cells += [(v, row_label(table, r, column)) for r in table.rows for column, v in r.cells.items()]
        yield cells


def _input_cells(workbook: Workbook, not_amounts: list[str]) -> Iterator[list[tuple[Value, str]]]:
    for spec in workbook.spec.inputs:
        fields = [f for f in spec.fields if f.type == "money"
                  and not any(fnmatchcase(f"{spec.id}.{f.id}", p) for p in not_amounts)]
        records = [workbook.forms.get(spec.id, {})] if spec.layout == "form" else workbook.lists.get(spec.id, [])
        yield [(record[f.id], f"“{f.label}”") for record in records for f in fields if f.id in record]

