"""Read a PDF publication into the neutral model with pdfplumber (the only pdfplumber importer)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..errors import UnreadablePublication
from .document import Document, Grid, Line, squeeze

# pdfminer logs what it skips in a damaged file in English, which Python prints to stderr when nobody configured
# logging (the command line): the user gets one Chinese sentence instead. Configured logging still receives them.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

#: pdfplumber's settings for ruled tables (every publication table is drawn with lines).
_TABLES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


class ScannedPdf(UnreadablePublication):
    """The PDF has no text layer (a scan): nothing can be read from it."""


def read_pdf(path: Path) -> Document:
    """Return the text lines and table grids of every page of the PDF at path, in reading order.

    Raises UnreadablePublication (one sentence) for a file that is not a readable PDF and ScannedPdf for a PDF
    without a text layer.
    """
    import pdfplumber
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    name = Path(Path(path).name)  # the file's name as a field: each presenter shows it its own way
    document = Document(Path(path))
    try:
        with pdfplumber.open(str(path)) as pdf:
            document.pages = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                document.blocks += _page_blocks(page, number)
                page.close()
    except MemoryError:
        raise UnreadablePublication.of("“{name}”太大，内存不足以读取，请确认文件是否正确。",
                                       name=name) from None
    # pdfplumber wraps pdfminer's errors in its two exceptions; the others are what a damaged file may still raise
    except (PdfminerException, MalformedPDFException, PSException, OSError, ValueError, KeyError, TypeError,
            IndexError) as exc:
        raise UnreadablePublication.of(_unreadable(exc), name=name) from exc
    if document.pages and not any(isinstance(b, Line) and b.text for b in document.blocks) \
            and not any(isinstance(b, Grid) for b in document.blocks):
        raise ScannedPdf.of("“{name}”是扫描件（没有文字层），无法读取其中的文字和表格，请使用导出的 PDF 或 Word 文档。",
                            name=name)
    return document


def _unreadable(exc: Exception) -> str:
    """Return the sentence (a template with the field name) why a PDF cannot be read: a password, else damage."""
    from pdfminer.pdfdocument import PDFEncryptionError

    if any(isinstance(cause, PDFEncryptionError) for cause in (exc, *exc.args)):  # pdfplumber wraps pdfminer's
        return "“{name}”设置了密码（或加密方式无法识别），无法读取；请导出或另存一份不加密的 PDF 后重试。"
    return ("无法读取“{name}”：可能不是有效的 PDF 文件，或文件已损坏（例如没有下载完整）；"
            "请先用 PDF 阅读器打开确认，再重新导出或重新下载后重试。")


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
