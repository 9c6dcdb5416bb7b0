"""The department workbook `genreport merge` writes: the standard workbook plus where every merged value came from."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from ..atomic import atomic_write
from ..spec import WorkbookSpec
from .guard import _sheet_names
from .write import BORDER, CENTER, HEADER_FILL, build_workbook

if TYPE_CHECKING:
    from ..merge import Merged

#: The companion sheet: one row per merged cell with each unit's contribution. It also marks a merged workbook.
TRACE_SHEET = "汇总来源"
TRACE_HEADER = ["工作表", "单元格", "项目", "汇总数"]
TAG_HEADER = "所属单位"
ASK_FILL = PatternFill("solid", fgColor="FCE4D6")
ASK_NOTE = "汇总后由部门填写：各单位的文字未带入，请按部门汇总后的数字填写。"


def write_merged(path: Path, spec: WorkbookSpec, merged: Merged,
                 choices: dict[tuple[str, str], list[str]] | None = None) -> Path:
    """Write the department workbook to path (atomically): the merged data, the rows' units, the 汇总来源 sheet.

    Cells left for the department (merged.asked) are shaded and carry a note; choices as for write_workbook.
    """
    placed: dict[tuple[str, Any, str], Any] = {}
    book = build_workbook(spec, merged.data, choices=choices, placed=placed)
    _tag_lists(book, spec, merged.tags)
    for key in merged.asked:
        cell = placed.get(key)
        if cell is not None:
            cell.fill = ASK_FILL
            cell.comment = Comment(ASK_NOTE, "genreport")
    _trace_sheet(book, merged, placed)
    return atomic_write(Path(path), lambda tmp: book.save(tmp))


def _tag_lists(book: Any, spec: WorkbookSpec, tags: dict[str, list[str]]) -> None:
    """Add a 所属单位 column after each merged list's last column (the reader ignores unknown columns)."""
    for item in spec.inputs:
        if item.id not in tags:
            continue
        ws = book[item.sheet]
        col = len(item.fields) + 1
        header = ws.cell(row=2, column=col, value=TAG_HEADER)
        header.font, header.fill, header.border, header.alignment = Font(bold=True), HEADER_FILL, BORDER, CENTER
        for i, name in enumerate(tags[item.id]):
            ws.cell(row=3 + i, column=col, value=name).border = BORDER
        ws.column_dimensions[header.column_letter].width = 30


def _trace_sheet(book: Any, merged: Merged, placed: dict[tuple[str, Any, str], Any]) -> None:
    ws = book.create_sheet(TRACE_SHEET)
    for col, text in enumerate(TRACE_HEADER + merged.units, start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), HEADER_FILL, BORDER, CENTER
    for key, values in merged.trace.items():  # plain appended rows: a style per cell would double the time
        target = placed.get(key)
        if target is not None and any(v is not None for v in values):
            ws.append([target.parent.title, target.coordinate, merged.labels.get(key, ""), target.value, *values])
    ws.freeze_panes = "E2"
    for letter, width in zip("ABCD", (14, 8, 50, 14)):
        ws.column_dimensions[letter].width = width


def is_merged(path: Path) -> bool:
    """Return True when the workbook at path was written by `genreport merge` (it has the 汇总来源 sheet)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return TRACE_SHEET in _sheet_names(archive).values()
    except (OSError, zipfile.BadZipFile):
        return False
