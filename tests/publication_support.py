"""Helpers for the publication tests: the bundled profiles' sample documents and a cell-by-cell table view."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from genreport.excel import write_workbook
from genreport.resources import sample_workbook
from genreport.spec import load_spec
from shanghai_support import shanghai_data


def sample_sources(folder: Path) -> dict[str, Path]:
    """Return profile id → a filled workbook of that profile (the bundled samples; Shanghai's synthetic one)."""
    shanghai = write_workbook(folder / "shanghai.xlsx", load_spec("shanghai"), shanghai_data())
    return {"central": sample_workbook("xinxiang-2024/workbook.xlsx"),
            "shanghai-district-budget": sample_workbook("putuo-2025-budget/workbook.xlsx"),
            "shanghai-district": shanghai}


def table_cells(workbook: Any) -> dict[tuple[str, str, str], Any]:
    """Return every table cell of a read workbook: (table, line or 科目编码, column) → value (None when blank)."""
    cells: dict[tuple[str, str, str], Any] = {}
    for table_id, table in workbook.tables.items():
        for line, values in table.lines.items():
            for column, value in values.items():
                cells[(table_id, line, column)] = value.value
        for row in table.rows:
            cells[(table_id, row.code, "name")] = row.name
            for column, value in row.cells.items():
                cells[(table_id, row.code, column)] = value.value
    return cells


def blank_or_zero(cells: dict[tuple[str, str, str], Any]) -> tuple[int, int]:
    """Return (blank cells, cells holding 0.00) of a table view."""
    return (sum(v is None for v in cells.values()),
            sum(isinstance(v, Decimal) and v == 0 for v in cells.values()))
