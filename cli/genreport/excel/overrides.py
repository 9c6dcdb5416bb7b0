"""Write absorbed wording into the 文字调整 sheet of a copy of a workbook (genreport absorb)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from openpyxl.styles import Alignment

from ..atomic import atomic_write
from ..filenames import same_file
from ..errors import OutputError
from ..spec import InputSpec
from .annotate import _cached_results, _save_with_results
from .guard import load_openpyxl
from .read import norm


class Row(Protocol):
    """One row to write: the fields of render.absorb.Edit."""

    key: str
    mode: str
    text: str
    original: str
    row: int | None
    clear: bool


def write_override_rows(source: Path, target: Path, spec: InputSpec,
                        rows: Iterable[Row]) -> list[tuple[Row, str, str]]:
    """Write target: source with rows written into its 文字调整 sheet (updated in place or added at the end).

    Returns each row with the cells of its key and its text ("A7", "C7"). source is replaced only when target is
    source itself — the caller has made a backup then.
    """
    book = load_openpyxl(Path(source), data_only=False)
    ws = book[spec.sheet] if spec.sheet in book.sheetnames else _new_sheet(book, spec)
    top, columns = _header(ws, spec)
    _allow_all_modes(ws, spec)
    free = _last_used(ws, top, columns) + 1
    written = []
    for row in rows:
        at = row.row if row.row is not None else free
        free += row.row is None
        values = {"key": row.key, "mode": row.mode, "text": row.text, "original": row.original or None}
        for field_id, column in columns.items():
            cell = ws.cell(at, column, value=None if row.clear else values.get(field_id))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        written.append((row, f"{_letter(columns['key'])}{at}", f"{_letter(columns['text'])}{at}"))
    cached = _cached_results(Path(source), book)
    atomic_write(Path(target), lambda tmp: _save_with_results(book, cached, tmp))
    return written


def refuse_same(source: Path, target: Path) -> None:
    """Raise OutputError when target is the workbook itself (writing in place is asked for explicitly)."""
    if same_file(Path(source), Path(target)):
        raise OutputError("吸收结果不能写回原工作簿，除非加 --in-place（会先备份原工作簿）；请另选输出路径。")


def _new_sheet(book: Any, spec: InputSpec) -> Any:
    ws = book.create_sheet(spec.sheet)
    ws.cell(1, 1, value=spec.title)
    for column, field in enumerate(spec.fields, start=1):
        ws.cell(2, column, value=field.label)
    return ws


def _header(ws: Any, spec: InputSpec) -> tuple[int, dict[str, int]]:
    """Return the header row and {field id: column}; a missing column (生成时原文 in an older workbook) is added."""
    labels = {norm(f.label): f.id for f in spec.fields}
    top = next((r for r in range(1, min(ws.max_row, 20) + 1)
                if any(norm(ws.cell(r, c).value) in labels for c in range(1, ws.max_column + 1))), 2)
    columns = {labels[norm(ws.cell(top, c).value)]: c for c in range(1, ws.max_column + 1)
               if norm(ws.cell(top, c).value) in labels}
    for field in spec.fields:
        if field.id not in columns:
            columns[field.id] = max([ws.max_column, *columns.values()]) + 1
            ws.cell(top, columns[field.id], value=field.label)
    return top, columns


def _allow_all_modes(ws: Any, spec: InputSpec) -> None:
    """Let the 方式 dropdown of an older workbook offer every mode (删除 came later)."""
    options = next((f.options for f in spec.fields if f.id == "mode"), None)
    if not options:
        return
    for rule in ws.data_validations.dataValidation:
        if rule.type == "list" and rule.formula1 and any(o in rule.formula1 for o in options):
            rule.formula1 = '"' + ",".join(options) + '"'


def _last_used(ws: Any, top: int, columns: dict[str, int]) -> int:
    last = top
    for row in range(top + 1, ws.max_row + 1):
        if any(ws.cell(row, c).value not in (None, "") for c in columns.values()):
            last = row
    return last


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)
