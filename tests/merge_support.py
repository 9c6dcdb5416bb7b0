"""Unit workbooks for the 汇总 tests, filled as an accountant fills them: a cell is found by its row label
(line name, 科目编码, form item) and its column header, never by a column letter."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

from genreport.api import init_workbook
from genreport.excel.read import norm


def _text(value: Any) -> str:
    return norm(value)


def find_label(ws: Any, label: str, nth: int = 1) -> tuple[int, int]:
    """Return (row, column) of the nth cell, row by row, whose text is label."""
    seen = 0
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None and _text(cell.value) == _text(label):
                seen += 1
                if seen == nth:
                    return cell.row, cell.column
    raise KeyError(f"{ws.title}: no label {label!r} (#{nth})")


def find_column(ws: Any, header: str, row: int, start: int, nth: int = 1) -> int:
    """Return the nth column right of start whose header (a cell above row) reads header."""
    seen = 0
    for col in range(start + 1, ws.max_column + 1):
        if any(_text(ws.cell(r, col).value) == _text(header) for r in range(1, row)):
            seen += 1
            if seen == nth:
                return col
    raise KeyError(f"{ws.title}: no header {header!r} right of column {start} above row {row}")


def cell_at(ws: Any, label: str, header: str, nth: int = 1, nth_header: int = 1) -> Any:
    """Return the cell in the row labelled label under the column headed header."""
    row, col = find_label(ws, label, nth)
    return ws.cell(row, find_column(ws, header, row, col, nth_header))


def form_cell(ws: Any, label: str) -> Any:
    """Return the 填写内容 cell of a form item."""
    row, col = find_label(ws, label)
    return ws.cell(row, col + 1)


def add_coded_row(ws: Any, code: str, name: str) -> None:
    """Type a 科目 row into the first empty row under a coded table's 合计 row."""
    row, col = find_label(ws, "科目名称")
    total_row, _ = find_label(ws, "合计", nth=_count(ws, "合计"))
    r = total_row + 1
    while ws.cell(r, col - 1).value not in (None, "") or ws.cell(r, col).value not in (None, ""):
        r += 1
    ws.cell(r, col - 1).value = code
    ws.cell(r, col).value = name


def _count(ws: Any, label: str) -> int:
    return sum(1 for row in ws.iter_rows() for c in row if c.value is not None and _text(c.value) == _text(label))


def add_list_row(ws: Any, values: dict[str, Any]) -> None:
    """Type a record into the first empty row of a list sheet, each value under its header."""
    row, _ = find_label(ws, next(iter(values)))
    columns = {h: find_label(ws, h)[1] for h in values}
    r = row + 1
    while any(ws.cell(r, c).value not in (None, "") for c in columns.values()):
        r += 1
    for header, value in values.items():
        ws.cell(r, columns[header]).value = value


def list_cell(ws: Any, key_header: str, key: str, header: str) -> Any:
    """Return the cell under header in the list row whose key_header column reads key."""
    top, key_col = find_label(ws, key_header)
    col = find_label(ws, header)[1]
    for r in range(top + 1, ws.max_row + 1):
        if _text(ws.cell(r, key_col).value) == _text(key):
            return ws.cell(r, col)
    raise KeyError(f"{ws.title}: no row {key!r}")


# ---- one unit's figures ---------------------------------------------------------


def apply(book: Any, unit: dict[str, Any], sign: int = 1) -> None:
    """Fill a unit's figures into book (sign=1, on a blank workbook) or take them off (sign=-1, on a copy).

    unit["cells"]: {sheet: [(row label, column header, amount, nth row label, nth header)…]};
    unit["rows"]: {sheet: [(科目编码, 科目名称)…]} typed first on a blank workbook;
    unit["forms"]: {sheet: {item label: value}} (amounts are taken off, other values only filled);
    unit["lists"]: {sheet: [record by header]} appended (taken off by key with unit["list_keys"]).
    """
    if sign > 0:
        for sheet, rows in unit.get("rows", {}).items():
            for code, name in rows:
                add_coded_row(book[sheet], code, name)
    for sheet, cells in unit.get("cells", {}).items():
        for label, header, amount, *nth in cells:
            cell = cell_at(book[sheet], label, header, *nth)
            _shift(cell, Decimal(amount), sign)
    for sheet, items in unit.get("forms", {}).items():
        for label, value in items.items():
            cell = form_cell(book[sheet], label)
            if isinstance(value, (Decimal, int)) and not isinstance(value, bool) and label not in ("年度",):
                _shift(cell, value, sign)
            elif sign > 0:
                cell.value = value
    for sheet, records in unit.get("lists", {}).items():
        for record in records:
            if sign > 0:
                add_list_row(book[sheet], record)
                continue
            key_header, amount_header = unit["list_keys"][sheet]
            cell = list_cell(book[sheet], key_header, record[key_header], amount_header)
            _shift(cell, record[amount_header], sign)


def _shift(cell: Any, amount: Decimal | int, sign: int) -> None:
    if sign > 0:
        cell.value = amount
        return
    current = Decimal(str(cell.value if cell.value is not None else 0))
    left = current - Decimal(amount)
    assert left >= 0, f"{cell.parent.title}!{cell.coordinate}: {current} − {amount} < 0"
    cell.value = left if isinstance(amount, Decimal) else int(left)


def unit_workbook(target: Path, unit: dict[str, Any], profile: str | None = None) -> Path:
    """Write a unit's workbook: `genreport init`, then its figures typed in."""
    init_workbook(target, profile=profile)
    book = openpyxl.load_workbook(target)
    apply(book, unit)
    book.save(target)
    return target


def main_workbook(seed: Path, target: Path, others: list[dict[str, Any]], cover: dict[str, Any]) -> Path:
    """Write the 本级's workbook: the seed's figures less the other units', its cover retyped."""
    shutil.copyfile(seed, target)
    book = openpyxl.load_workbook(target)
    for unit in others:
        apply(book, unit, sign=-1)
    for label, value in cover.items():
        form_cell(book["封面概况"], label).value = value
    book.save(target)
    return target
