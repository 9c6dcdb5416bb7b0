"""Write a batch summary workbook: per sheet a header row and one row per entry, problem rows coloured."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook as XlWorkbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..atomic import atomic_write
from ..visible import display_width
from ..issues import ERROR, WARNING
from .text import put_text

FILLS = {ERROR: PatternFill("solid", fgColor="FF9999"), WARNING: PatternFill("solid", fgColor="FFE699")}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MAX_WIDTH = 60


#: Written into the summary's document properties, so that a later batch recognises its own summary.
MARK = "genreport 批量汇总"


@dataclass
class SummarySheet:
    """One sheet of the summary: title, header, rows; marks[i] "error"/"warning" colours row i."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]
    marks: Sequence[str | None] = ()


def write_summary(path: str | Path, sheets: Sequence[SummarySheet]) -> Path:
    """Write the sheets to path (atomically) and return path.

    Text is always written as text (put_text: never a formula or a link); numbers and None as they are.
    """
    book = XlWorkbook()
    book.remove(book.active)
    book.properties.creator, book.properties.title = "genreport", MARK
    for data in sheets:
        _fill(book.create_sheet(data.title), data)
    return atomic_write(Path(path), lambda tmp: book.save(tmp))


def _fill(sheet: object, data: SummarySheet) -> None:
    for col, header in enumerate(data.columns, start=1):
        cell = put_text(sheet.cell(row=1, column=col), header)  # type: ignore[attr-defined]
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for index, row in enumerate(data.rows):
        fill = FILLS.get(data.marks[index] or "") if index < len(data.marks) else None
        for col, value in enumerate(row, start=1):
            cell = put_text(sheet.cell(row=index + 2, column=col), value)  # type: ignore[attr-defined]
            if fill is not None:
                cell.fill = fill
    _fit_columns(sheet, data.columns, data.rows)
    sheet.freeze_panes = "A2"  # type: ignore[attr-defined]
    sheet.auto_filter.ref = sheet.dimensions  # type: ignore[attr-defined]


def is_summary(path: Path) -> bool:
    """Return True when path is a summary genreport wrote: its document properties carry MARK, or (written
    by version 0.1) its only sheet is called 汇总."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = [archive.getinfo(name) for name in ("docProps/core.xml", "xl/workbook.xml")]
            if any(info.file_size > 100_000 for info in parts):
                return False
            core, book = (archive.read(info) for info in parts)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return MARK.encode() in core or (book.count(b"<sheet ") == 1 and 'name="汇总"'.encode() in book)


def _fit_columns(sheet: object, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    for index, header in enumerate(columns):
        widest = max([display_width(header), *(display_width(row[index]) for row in rows if index < len(row))])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(widest + 2, MAX_WIDTH)  # type: ignore[attr-defined]
