"""Read a PDF publication into the neutral model with pdfplumber (the only pdfplumber importer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import GenreportError
from .document import Document, Grid, Line, squeeze

#: pdfplumber's settings for ruled tables (every publication table is drawn with lines).
_TABLES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


class ScannedPdf(GenreportError):
    """The PDF has no text layer (a scan): nothing can be read from it."""


def read_pdf(path: Path) -> Document:
    """Return the text lines and table grids of every page of the PDF at path, in reading order.

    Raises GenreportError (one sentence) for a file that is not a readable PDF and ScannedPdf for a PDF
    without a text layer.
    """
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    document = Document(Path(path))
    try:
        with pdfplumber.open(str(path)) as pdf:
            document.pages = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                document.blocks += _page_blocks(page, number)
                page.close()
    except (PDFSyntaxError, OSError, ValueError, KeyError, TypeError) as exc:
        raise GenreportError.of("无法读取 PDF 文件“{name}”：文件已损坏或不是 PDF（{kind}）。", name=Path(Path(path).name),
                                kind=type(exc).__name__) from None
    if document.pages and not any(isinstance(b, Line) and b.text for b in document.blocks) \
            and not any(isinstance(b, Grid) for b in document.blocks):
        raise ScannedPdf.of("“{name}”是扫描件（没有文字层），无法读取其中的文字和表格，请使用导出的 PDF 或 Word 文档。",
                            name=Path(Path(path).name))
    return document


def _page_blocks(page: Any, number: int) -> list[Line | Grid]:
    """Return the page's lines outside tables and its table grids, ordered from top to bottom."""
    tables = page.find_tables(_TABLES) if page.rects or page.lines else []
    boxes = [t.bbox for t in tables]
    placed: list[tuple[float, Line | Grid]] = []
    for table in tables:
        rows = [[None if c is None else squeeze(c) for c in row] for row in table.extract()]
        placed.append((table.bbox[1], Grid(rows, number)))
    for line in page.extract_text_lines(return_chars=False):
        middle = (line["top"] + line["bottom"]) / 2
        if any(x0 - 1 <= (line["x0"] + line["x1"]) / 2 <= x1 + 1 and top - 1 <= middle <= bottom + 1
               for x0, top, x1, bottom in boxes):
            continue
        placed.append((line["top"], Line(squeeze(line["text"]), number)))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]
