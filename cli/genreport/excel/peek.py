"""Read one labelled value from a form sheet of an opened workbook before the full spec is known (the 报告样式)."""

from __future__ import annotations

from typing import Any

from .read import norm


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
