"""The workbook as plain Python objects: Decimal amounts, blank kept as None, every value with its cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .address import Address
from .spec import TableSpec, WorkbookSpec


@dataclass(frozen=True)
class Value:
    """One read cell: value is Decimal/int/str/list[str], or None when the cell is blank."""

    value: Any
    sheet: str = ""
    cell: str = ""
    bad: bool = False
    """True when the reader rejected the cell (unreadable, uncalculated, out of range): checks that use it skip."""

    @classmethod
    def placed(cls, value: Any, at: Address) -> Value:
        """Return a Value read at an Address."""
        return cls(value, at.sheet, at.a1)

    @property
    def at(self) -> Address:
        """Return the cell the value was read from."""
        return Address.parse(self.sheet, self.cell)

    @property
    def blank(self) -> bool:
        """Return True when the cell was left empty (distinct from 0)."""
        return self.value is None

    @property
    def amount(self) -> Decimal:
        """Return the value as a Decimal, blank counting as 0 (for sums only)."""
        return self.value if isinstance(self.value, Decimal) else Decimal(0)


BLANK = Value(None)


@dataclass
class Row:
    """A row keyed by 科目编码 (coded and econ tables)."""

    code: str
    name: str
    cells: dict[str, Value]
    sheet_row: int = 0

    @property
    def level(self) -> int:
        """Return 1 for 类, 2 for 款, 3 for 项 (from the code length 3/5/7)."""
        return {3: 1, 5: 2, 7: 3}.get(len(self.code), 0)

    def get(self, column: str) -> Value:
        """Return the cell of a column, BLANK when the table has no such cell."""
        return self.cells.get(column, BLANK)


@dataclass
class Table:
    """A read 公开 table: fixed lines (line id → column id → Value) and coded rows."""

    spec: TableSpec
    lines: dict[str, dict[str, Value]] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)

    def cell(self, line: str, column: str) -> Value:
        """Return a fixed-line cell, BLANK when absent."""
        return self.lines.get(line, {}).get(column, BLANK)

    def amount(self, line: str, column: str) -> Decimal:
        """Return a fixed-line amount with blank as 0."""
        return self.cell(line, column).amount

    def row(self, code: str) -> Row | None:
        """Return the row with this 科目编码, None when the table has none."""
        for row in self.rows:
            if row.code == code:
                return row
        return None

    @property
    def empty(self) -> bool:
        """Return True when the table holds no non-zero amount at all."""
        values = [v for cells in self.lines.values() for v in cells.values()]
        values += [v for r in self.rows for v in r.cells.values()]
        return all(v.amount == 0 for v in values)


@dataclass
class Workbook:
    """Everything read from one workbook."""

    spec: WorkbookSpec
    source: str
    tables: dict[str, Table] = field(default_factory=dict)
    forms: dict[str, dict[str, Value]] = field(default_factory=dict)
    lists: dict[str, list[dict[str, Value]]] = field(default_factory=dict)

    def form(self, input_id: str, field_id: str) -> Value:
        """Return a form field's Value, BLANK when the sheet or field is absent."""
        return self.forms.get(input_id, {}).get(field_id, BLANK)

    def value(self, input_id: str, field_id: str) -> Any:
        """Return a form field's plain value (None when blank)."""
        return self.form(input_id, field_id).value

    @property
    def dept_name(self) -> str:
        """Return the department name typed on the cover sheet ("" when blank)."""
        return self.value("profile", "dept_name") or ""

    @property
    def year(self) -> int | None:
        """Return the report year, None when blank."""
        return self.value("profile", "year")


@dataclass(frozen=True)
class Missing:
    """A required input left blank (generated with --force): the template prints the profile's placeholder
    (conventions.missing_value, 【未填写：公务用车购置数量】), never a hole, "None" or 0."""

    label: str
