"""Read a Word publication into the neutral publication model (python-docx lives only under render/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import UnreadablePublication
from ..publication.document import Document, Grid, Line, squeeze


def read_docx(path: Path) -> Document:
    """Return the paragraphs and tables of the Word document at path in body order (pages are not known).

    A cell a merge covers (the second column of a gridSpan, a continued vMerge) is None, as in a PDF grid.
    Raises UnreadablePublication (one sentence) for a file that is not a readable .docx.
    """
    from docx import Document as open_docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        docx = open_docx(str(path))
    except MemoryError:
        raise UnreadablePublication.of("“{name}”太大，内存不足以读取，请确认文件是否正确。",
                                       name=Path(Path(path).name)) from None
    except Exception as exc:  # noqa: BLE001 - python-docx raises zip, XML and key errors alike for a broken file
        raise UnreadablePublication.of("无法读取“{name}”：可能不是有效的 Word 文档（.docx），或文件已损坏；"
                                       "请先用 Word/WPS 打开确认，再另存为 .docx 后重试。",
                                       name=Path(Path(path).name)) from exc
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
