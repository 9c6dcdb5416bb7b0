"""Read one labelled value from a form sheet cheaply, before the full spec is known (the 报告样式)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from .guard import check_file
from .read import norm


def peek_form_value(path: Path, sheet: str, label: str) -> str | None:
    """Return the text in column B beside label on sheet, None when absent or not parseable.

    Raises UnreadableWorkbook (via the guard) for files that are not workbooks or are too large.
    """
    check_file(path)  # refuse oversized or disguised files before openpyxl touches them
    try:
        with path.open("rb") as stream:
            book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
            try:
                return _find(book, sheet, label)
            finally:
                book.close()
    except Exception:  # noqa: BLE001 - rows parse lazily; the full reader reports a damaged file properly
        return None


def _find(book: object, sheet: str, label: str) -> str | None:
    if sheet not in book.sheetnames:  # type: ignore[attr-defined]
        return None
    for row in book[sheet].iter_rows(min_row=1, max_row=60, max_col=2, values_only=True):  # type: ignore[index]
        if len(row) >= 2 and norm(row[0]) == norm(label):
            return str(row[1]).strip() if row[1] not in (None, "") else None
    return None
