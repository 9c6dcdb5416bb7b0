"""Read a Word publication into the neutral publication model (python-docx lives only under render/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import GenreportError
from ..publication.document import Document, Grid, Line, squeeze


def read_docx(path: Path) -> Document:
    """Return the paragraphs and tables of the Word document at path in body order (pages are not known).

    A cell a merge covers (the second column of a gridSpan, a continued vMerge) is None, as in a PDF grid.
    Raises GenreportError (one sentence) for a file that is not a readable .docx.
    """
    from docx import Document as open_docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        docx = open_docx(str(path))
    except Exception as exc:  # python-docx raises zip, XML and key errors alike for a broken file
        raise GenreportError.of("无法读取 Word 文件“{name}”：文件已损坏或不是 .docx（{kind}）。", name=Path(Path(path).name),
                                kind=type(exc).__name__) from None
    document = Document(Path(path))
    for element in docx.element.body.iterchildren():
        if element.tag == qn("w:p"):
            document.blocks.append(Line(squeeze(Paragraph(element, docx).text), None))
        elif element.tag == qn("w:tbl"):
            document.blocks.append(Grid(_rows(Table(element, docx)), None))
    return document


def _rows(table: Any) -> list[list[str | None]]:
    """Return the table's rows as cell texts on its grid, with None where a merge covers a cell."""
    rows: list[list[str | None]] = []
    above: list[Any] = []
    for row in table.rows:
        cells: list[str | None] = []
        seen: list[Any] = []
        for index, cell in enumerate(row.cells):
            covered = (seen and cell._tc is seen[-1]) or (index < len(above) and cell._tc is above[index])
            cells.append(None if covered else squeeze(cell.text))
            seen.append(cell._tc)
        above = seen
        rows.append(cells)
    return rows
