"""Read one labelled value from a form sheet before the full spec is known (the 报告样式), opening the workbook once.

The pre-read loads the workbook the way the reader needs it and keeps it for the read that follows
(`opened_workbook`), so a report opens its workbook once. The kept workbook is handed over at most once and
only while the file is unchanged (same size, modification time and inode).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .guard import UnreadableWorkbook, check_file, load, open_workbook
from .read import norm

_kept: tuple[tuple[Any, ...], Any] | None = None


def peek_form_value(path: Path, sheet: str, label: str) -> str | None:
    """Return the text in column B beside label on sheet, None when absent or not parseable.

    Raises UnreadableWorkbook (via the guard) for files that are not workbooks or are too large.
    """
    global _kept
    check_file(path)  # refuse oversized or disguised files before any parser touches them
    _kept = None
    try:
        book = load(path)
    except UnreadableWorkbook:  # the full reader reports unreadable files properly
        return None
    _kept = (_identity(path), book)
    if sheet not in book.sheetnames:
        return None
    ws = book[sheet]
    for row in range(1, 61):
        if norm(ws.cell(row, 1).value) == norm(label):
            cell = ws.cell(row, 2)
            value = cell.cached if cell.data_type == "f" else cell.value  # a formula: the value the accountant sees
            return str(value).strip() if value not in (None, "") else None
    return None


def opened_workbook(path: Path) -> Any:
    """Return the workbook the pre-read of path kept (once, if the file is unchanged), else open it afresh."""
    global _kept
    kept, _kept = _kept, None
    if kept is not None and kept[0] == _identity(path):
        return kept[1]
    return open_workbook(path)


def _identity(path: Path) -> tuple[Any, ...]:
    try:
        stat = os.stat(path)
    except OSError:
        return (None,)
    return (str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_dev)

