"""Cell positions and readable Chinese labels of table cells, rows and input fields."""

from __future__ import annotations

import re
from functools import lru_cache

from .address import Address, column_letters
from .address import column_number as column_index
from .model import Row, Table, Value
from .spec import Block, Column, Line, TableSpec, header_grid

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
    """Return the words of the header over a money column that tell it from every other column.

    The lowest header cell, then the cells above it until no other column has the same words (公务接待费 预算数,
    not only 预算数); a generic 小计/合计 keeps the cell above it (公务用车购置及运行维护费 小计).
    """
    columns = _all_columns(spec)
    index = next(i for i, c in enumerate(columns) if c.id == column_id)
    stacks = _header_stacks(spec)
    stack = stacks.get(index, [column_id])
    others = [s for c, s in stacks.items() if c != index and s and columns[c].role == "money"]
    depth = 1
    while depth < len(stack) and any(o[-depth:] == stack[-depth:] for o in others):
        depth += 1
    words = stack[-depth:]
    if spec.layout != "lines" and words[0] in GENERIC and depth < len(stack):
        words = stack[-depth - 1:]
    return " ".join(words)


def _header_stacks(spec: TableSpec) -> dict[int, list[str]]:
    """Return, for each column (0-based), the header texts over it from top to bottom (栏次 numbers left out)."""
    stacks: dict[int, list[str]] = {}
    for _, col, cell in header_grid(spec.header, spec.width):
        text = cell.text.strip()
        if text and not text.isdigit() and text != "栏次":
            for c in range(col, col + cell.colspan):
                stacks.setdefault(c, []).append(text)
    return stacks


def _all_columns(spec: TableSpec) -> tuple[Column, ...]:
    return spec.columns or tuple(c for b in spec.blocks for c in b.columns)


@lru_cache(maxsize=256)
def line_label(spec: TableSpec, line_id: str, column_id: str, row: int = 0) -> str:
    """Return the label of a fixed-line cell: 本年收入合计, or 总计（第31行） when the label repeats.

    A repeated label is told apart by its 行次 (第31行); a sheet without 行次 names the side (总计（收入）), or the
    sheet row when both lines are on one side and row (the cell's row) is known.
    """
    if spec.layout == "record":
        return column_label(spec, column_id)
    if spec.layout == "econ":
        return next((t.label for t in spec.totals if t.id == line_id), line_id)
    if spec.layout == "coded":
        return f"合计 {column_label(spec, column_id)}"
    for index, block in enumerate(spec.blocks):
        line = next((item for item in block.lines if item.id == line_id), None)
        if line is None:
            continue
        label = line.label
        if _duplicated(spec.blocks, label):
            label = f"{label}（{_which(spec, index, line, row)}）"
        if sum(1 for c in block.columns if c.role == "money") > 1:
            label = f"{label} {column_label(spec, column_id)}"
        return label
    return line_id


def _which(spec: TableSpec, index: int, line: Line, row: int) -> str:
    """Return 第31行 (the 行次, else the sheet row when the label repeats on its own side) or the side (收入)."""
    if line.no:
        return f"第{line.no}行"
    if row and _duplicated((spec.blocks[index],), line.label):
        return f"第{row}行"
    return _header_stacks(spec).get(spec.block_offset(index), [""])[0]


def _duplicated(blocks: tuple[Block, ...], label: str) -> bool:
    bare = _NUMBERING.sub("", label)
    return sum(1 for b in blocks for line in b.lines if line.id and _NUMBERING.sub("", line.label) == bare) > 1


def row_label(table: Table, row: Row, column_id: str) -> str:
    """Return 201 一般公共服务支出 基本支出 (econ rows: 30101 基本工资)."""
    if table.spec.layout == "econ":
        return f"{row.code} {row.name}"
    return f"{row.code} {row.name} {column_label(table.spec, column_id)}"
