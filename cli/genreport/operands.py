"""Resolve expression terms against a workbook: each becomes an Operand (a Value, its label, sign and kind)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fnmatch import fnmatchcase

from .amounts import HALF_CENT
from .units import DEFAULT_UNIT, unit_factor
from .model import Table, Value, Workbook
from .tablecells import line_label, row_label
from .expression import Ref

MONEY, COUNT, TEXT, CONST = "money", "count", "text", "const"
TABLE, INPUT = "table", "input"
ZERO = Decimal(0)


@dataclass(frozen=True)
class Operand:
    """One resolved term. Blank table cells count as 0; a blank input field is missing."""

    value: Value
    label: str
    sign: int = 1
    kind: str = MONEY
    source: str = TABLE
    required: bool = False
    """True for an input field the reader already reports when blank (required-missing)."""
    unit: str = DEFAULT_UNIT
    scale: Decimal = Decimal(1)
    """Factor from the cell's own unit to unit (not 1 once in_common_unit rescaled a 万元 cell to 元)."""
    places: int = 2
    """The decimals the figure is printed with (a table printed in whole 元: 0)."""

    @property
    def blank(self) -> bool:
        """Return True when the cell is empty (never for a constant)."""
        return self.kind != CONST and self.value.value is None

    @property
    def number(self) -> Decimal:
        """Return the amount or count as a Decimal, 0 for a blank or text cell."""
        value = self.value.value
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            return ZERO
        return Decimal(value) * self.scale

    @property
    def half_unit(self) -> Decimal:
        """Return the rounding half-unit of the printed figure (0.005 of its unit, 0.5 printed in whole units)
        for a filled amount, else 0."""
        return HALF_CENT.scaleb(2 - self.places) * self.scale if self.kind == MONEY and not self.blank else ZERO

    @property
    def bad(self) -> bool:
        """Return True when the reader rejected the cell: the finding is the reader's, checks using it skip."""
        return self.value.bad

    @property
    def missing(self) -> bool:
        """Return True for a blank input-sheet field (missing, not 0)."""
        return self.source == INPUT and self.blank


def table_operand(table: Table, value: Value, label: str, sign: int = 1) -> Operand:
    """Return the operand of a table cell, in the table's unit and printed precision."""
    return Operand(value, label, sign, unit=table.spec.unit, places=table.spec.decimals)


def in_common_unit(operands: list[Operand], finest: bool = True) -> list[Operand]:
    """Return the operands with every amount in one unit: the finest among them (a 万元 cell beside 元 cells
    compared exactly), or the coarsest (compare the figures as the narrative prints them)."""
    units = {o.unit for o in operands if o.kind == MONEY}
    if len(units) <= 1:
        return operands
    target = (min if finest else max)(units, key=unit_factor)
    return [replace(o, unit=target, scale=o.scale * unit_factor(o.unit) / unit_factor(target))
            if o.kind == MONEY else o for o in operands]


def unit_of(operands: list[Operand]) -> str:
    """Return the unit the amounts of operands are in (万元 when none is an amount)."""
    return next((o.unit for o in operands if o.kind == MONEY), DEFAULT_UNIT)


def resolve_side(side: tuple[tuple[int, Ref], ...], workbook: Workbook) -> list[Operand] | None:
    """Return the operands of one side, or None when a term names a table, line or field that is absent."""
    result: list[Operand] = []
    for sign, ref in side:
        found = resolve(ref, workbook, sign)
        if found is None:
            return None
        result.extend(found)
    return result


def resolve(ref: Ref, workbook: Workbook, sign: int = 1) -> list[Operand] | None:
    """Return the operands a term stands for (a pattern may match several), None when unresolvable."""
    if ref.kind == "const":
        return [Operand(Value(ref.number), ref.text, sign, CONST, CONST)]
    if ref.kind == "field":
        return _field(ref, workbook, sign)
    table = workbook.tables.get(ref.owner)
    if table is None:
        return None
    if ref.kind == "line":
        return _lines(table, ref, sign)
    if table.spec.layout == "lines":
        return _coded_lines(table, ref, sign)
    return _rows(table, ref, sign)


def _field(ref: Ref, workbook: Workbook, sign: int) -> list[Operand] | None:
    form = workbook.forms.get(ref.owner)
    if form is None or ref.key not in form:
        return None
    spec = workbook.spec.input(ref.owner).field(ref.key)
    kind = {"money": MONEY, "count": COUNT, "year": COUNT}.get(spec.type, TEXT)
    return [Operand(form[ref.key], spec.label, sign, kind, INPUT, spec.required, unit=spec.unit)]


def _lines(table: Table, ref: Ref, sign: int) -> list[Operand] | None:
    ids = [ref.key] if not _is_pattern(ref.key) else [
        line_id for line_id in table.lines if fnmatchcase(line_id, ref.key)]
    result = []
    for line_id in ids:
        cells = table.lines.get(line_id)
        if cells is None or ref.column not in cells:
            return None
        value = cells[ref.column]
        result.append(table_operand(table, value, line_label(table.spec, line_id, ref.column, value.at.row), sign))
    return result


def _coded_lines(table: Table, ref: Ref, sign: int) -> list[Operand] | None:
    pattern = _is_pattern(ref.key)
    lines = [line for block in table.spec.blocks for line in block.lines
             if line.code and (fnmatchcase(line.code, ref.key) if pattern else line.code == ref.key)]
    if not lines and not _is_pattern(ref.key):
        return None
    result = []
    for line in lines:
        cells = table.lines.get(line.id or "")
        if cells is None or ref.column not in cells:
            return None
        value = cells[ref.column]
        result.append(table_operand(table, value, line_label(table.spec, line.id or "", ref.column, value.at.row),
                                    sign))
    return result


def _rows(table: Table, ref: Ref, sign: int) -> list[Operand] | None:
    columns = {"amount"} if table.spec.layout == "econ" else {c.id for c in table.spec.money_columns}
    if ref.column not in columns:
        return None
    rows = [row for row in table.rows if row.code == ref.key] if not _is_pattern(ref.key) else [
        row for row in table.rows if fnmatchcase(row.code, ref.key)]
    if not rows and not _is_pattern(ref.key):
        absent = Value(None, table.spec.sheet, "")
        return [table_operand(table, absent, f"{ref.key}（本表无此科目）", sign)]
    return [table_operand(table, row.get(ref.column), row_label(table, row, ref.column), sign) for row in rows]


def _is_pattern(key: str) -> bool:
    return "*" in key or "?" in key
