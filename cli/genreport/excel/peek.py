"""Read one labelled value from a form sheet of an opened workbook before the full spec is known (the 报告样式)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .guard import open_workbook
from .read import norm


def open_book(path: Path) -> Any:
    """Return the workbook at path opened for reading (xlsx.Book), once for every stage that reads it.

    Raises UnreadableWorkbook (via the guard) for files that are not workbooks or are too large.
    """
    return open_workbook(Path(path))


def form_value(book: Any, sheet: str, label: str) -> str | None:
    """Return the text in column B beside label on sheet of an opened workbook, None when absent or blank."""
    if sheet not in book.sheetnames:
        return None
    ws = book[sheet]
    for row in range(1, 61):
        if norm(ws.cell(row, 1).value) == norm(label):
            cell = ws.cell(row, 2)
            value = cell.cached if cell.data_type == "f" else cell.value  # a formula: the value the accountant sees
            return str(value).strip() if value not in (None, "") else None
    return None
