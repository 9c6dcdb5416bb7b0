"""Cell positions and readable Chinese labels of table cells, rows and input fields."""

from __future__ import annotations

import re
from functools import lru_cache

from ..address import Address, column_letters
from ..address import column_number as column_index
from ..model import Row, Table, Value
from ..spec import Column, TableSpec, header_grid

GENERIC = ("小计", "合计")
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、")

__all__ = ["code_cell", "column_index", "column_label", "column_letters", "line_label", "name_cell", "row_label"]


def code_cell(table: Table, row: Row) -> Value:
    """Return the 科目编码 cell of a coded or econ row."""
    return _role_cell(table, row, "code", row.code)


def name_cell(table: Table, row: Row) -> Value:
    """Return the 科目名称 cell of a coded or econ row."""
    return _role_cell(table, row, "name", row.name)


def _role_cell(table: Table, row: Row, role: str, text: object) -> Value:
    spec = table.spec
    columns = spec.blocks[0].columns if spec.layout == "econ" else spec.columns
    money = next(i for i, c in enumerate(columns) if c.role == "money")
    wanted = next(i for i, c in enumerate(columns) if c.role == role)
    anchor = next(iter(row.cells.values()), None)
    if anchor is not None and anchor.cell:
        return Value.placed(text, anchor.at.shifted(columns=wanted - money))
    return Value.placed(text, Address(spec.sheet, row.sheet_row, wanted + 1))


@lru_cache(maxsize=64)
def column_label(spec: TableSpec, column_id: str) -> str:
    """Return the printed title of a money column (prefixed by its group title when ambiguous)."""
    columns = _all_columns(spec)
    index = next(i for i, c in enumerate(columns) if c.id == column_id)
    stacks: dict[int, list[str]] = {}
    for _, col, cell in header_grid(spec.header, spec.width):
        text = cell.text.strip()
        if text and not text.isdigit() and text != "栏次":
            for c in range(col, col + cell.colspan):
                stacks.setdefault(c, []).append(text)
    stack = stacks.get(index, [column_id])
    words = [stack[-1]]
    if spec.layout != "lines" and stack[-1] in GENERIC and len(stack) > 1:
        words.insert(0, stack[-2])
    if sum(1 for s in stacks.values() if s and s[-1] == stack[-1]) > 1 and stack[0] not in words:
        words.insert(0, stack[0])
    return " ".join(words)


def _all_columns(spec: TableSpec) -> tuple[Column, ...]:
    return spec.columns or tuple(c for b in spec.blocks for c in b.columns)


@lru_cache(maxsize=256)
def line_label(spec: TableSpec, line_id: str, column_id: str) -> str:
    """Return the label of a fixed-line cell: 本年收入合计, or 总计（第31行） when the label repeats."""
    if spec.layout == "record":
        return column_label(spec, column_id)
    if spec.layout == "econ":
        return next((t.label for t in spec.totals if t.id == line_id), line_id)
    if spec.layout == "coded":
        return f"合计 {column_label(spec, column_id)}"
    for block in spec.blocks:
        line = next((item for item in block.lines if item.id == line_id), None)
        if line is None:
            continue
        label = line.label
        if _duplicated(spec, label):
            label = f"{label}（第{line.no}行）"
        if sum(1 for c in block.columns if c.role == "money") > 1:
            label = f"{label} {column_label(spec, column_id)}"
        return label
    return line_id


def _duplicated(spec: TableSpec, label: str) -> bool:
    bare = _NUMBERING.sub("", label)
    return sum(1 for b in spec.blocks for line in b.lines if line.id and _NUMBERING.sub("", line.label) == bare) > 1


def row_label(table: Table, row: Row, column_id: str) -> str:
    """Return 201 一般公共服务支出 基本支出 (econ rows: 30101 基本工资)."""
    if table.spec.layout == "econ":
        return f"{row.code} {row.name}"
    return f"{row.code} {row.name} {column_label(table.spec, column_id)}"
