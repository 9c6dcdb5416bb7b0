"""Write a copy of a workbook with the reported cells highlighted and the messages as comments."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils.cell import coordinate_to_tuple

from ..errors import OutputError
from ..files import atomic_write, same_file
from ..issues import ERROR, SEVERITY_LABEL, WARNING, Issue
from .guard import load

FILLS = {ERROR: PatternFill("solid", fgColor="FF9999"), WARNING: PatternFill("solid", fgColor="FFE699")}


def annotate_workbook(source: str | Path, target: str | Path, issues: Iterable[Issue]) -> list[str]:
    """Write target, a copy of source with each error/warning cell filled and commented.

    Returns the "sheet!cell" references that were marked. source is never modified.
    """
    if same_file(Path(source), Path(target)):
        raise OutputError("批注文件不能与原工作簿同名，请另选输出路径。")
    book = load(Path(source), data_only=False)  # any extension; parser failures become one sentence
    marked: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        if issue.severity in FILLS and issue.sheet in book.sheetnames and _valid(issue.cell):
            ws = book[issue.sheet]
            marked.setdefault((ws.title, _top_left(ws, issue.cell)), []).append(issue)
    for (sheet, ref), found in marked.items():
        cell = book[sheet][ref]
        worst = ERROR if any(i.severity == ERROR for i in found) else WARNING
        cell.fill = FILLS[worst]
        text = "\n".join(f"【{SEVERITY_LABEL[i.severity]}】{i.message}（{i.code}）" for i in found)
        cell.comment = Comment(text, "genreport", width=360, height=min(60 + 40 * len(found), 400))
    atomic_write(Path(target), lambda tmp: book.save(tmp))
    return sorted(f"{sheet}!{ref}" for sheet, ref in marked)


def _valid(ref: str) -> bool:
    try:
        coordinate_to_tuple(ref)
    except (ValueError, TypeError, AttributeError):
        return False
    return True


def _top_left(ws: object, ref: str) -> str:
    """Return ref, or the top-left cell of the merged range that contains it (only that cell can be styled)."""
    for merged in ws.merged_cells.ranges:  # type: ignore[attr-defined]
        if ref in merged:
            return merged.start_cell.coordinate
    return ref
