"""Write a batch summary as a one-sheet workbook: a header row, one row per workbook, problem rows coloured."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook as XlWorkbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..files import atomic_write
from ..issues import ERROR, WARNING

FILLS = {ERROR: PatternFill("solid", fgColor="FF9999"), WARNING: PatternFill("solid", fgColor="FFE699")}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MAX_WIDTH = 60


def write_summary(path: str | Path, columns: Sequence[str], rows: Sequence[Sequence[object]],
                  marks: Sequence[str | None] = (), title: str = "汇总") -> Path:
    """Write columns and rows to path (atomically) and return path.

    marks[i] is "error" or "warning" to colour row i red or yellow, None to leave it plain.
    Values are written as they are (str, int, float, None).
    """
    book = XlWorkbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for index, row in enumerate(rows):
        sheet.append(list(row))
        fill = FILLS.get(marks[index] or "") if index < len(marks) else None
        if fill is not None:
            for cell in sheet[sheet.max_row]:
                cell.fill = fill
    _fit_columns(sheet, columns, rows)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return atomic_write(Path(path), lambda tmp: book.save(tmp))


def _fit_columns(sheet: object, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    for index, header in enumerate(columns):
        widest = max([display_width(header), *(display_width(row[index]) for row in rows if index < len(row))])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(widest + 2, MAX_WIDTH)  # type: ignore[attr-defined]


def display_width(value: object) -> int:
    """Return how many columns value takes in a fixed-width font (CJK characters count 2)."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
