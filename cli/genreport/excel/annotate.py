"""Write a copy of a workbook with the reported cells highlighted and the messages as comments."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from ..errors import OutputError
from ..files import atomic_write, same_file
from ..issues import ERROR, SEVERITY_LABEL, WARNING, Issue

FILLS = {ERROR: PatternFill("solid", fgColor="FF9999"), WARNING: PatternFill("solid", fgColor="FFE699")}


def annotate_workbook(source: str | Path, target: str | Path, issues: Iterable[Issue]) -> list[str]:
    """Write target, a copy of source with each error/warning cell filled and commented.

    Returns the "sheet!cell" references that were marked. source is never modified.
    """
    if same_file(Path(source), Path(target)):
        raise OutputError("批注文件不能与原工作簿同名，请另选输出路径。")
    book = openpyxl.load_workbook(source)
    marked: dict[str, list[Issue]] = {}
    for issue in issues:
        if issue.severity in FILLS and issue.sheet in book.sheetnames and issue.cell:
            marked.setdefault(issue.where, []).append(issue)
    for where, found in marked.items():
        cell = book[found[0].sheet][found[0].cell]
        worst = ERROR if any(i.severity == ERROR for i in found) else WARNING
        cell.fill = FILLS[worst]
        text = "\n".join(f"【{SEVERITY_LABEL[i.severity]}】{i.message}" for i in found)
        cell.comment = Comment(text, "genreport", width=320, height=120)
    atomic_write(Path(target), lambda tmp: book.save(tmp))
    return sorted(marked)
