"""Document layout, read back from the PDF LibreOffice prints: no header cell breaks off its last character,
no heading is left alone as the last line of a page. Skips without LibreOffice."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

import pytest
from docx import Document
from lxml import etree

from genreport.api import generate_report
from genreport.pdf import find_soffice
from genreport.spec import load_spec

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(find_soffice() is None, reason="没有安装 LibreOffice（soffice），无法排版成 PDF")]

#: Short paragraphs without closing punctuation are headings, whatever their style (自评报告's “1. 成本指标”).
CLOSING = tuple("。；：，、”）.")
PAGE_NUMBER = re.compile(r"^[—\-–\s]*\d+[—\-–\s]*$")


@dataclass(frozen=True)
class Line:
    page: int
    text: str
    x0: float
    x1: float
    y0: float
    y1: float


@pytest.fixture(scope="module")
def printed(sample_path, tmp_path_factory):
    """Return (the generated python-docx Document, the PDF's text lines with their boxes)."""
    out = tmp_path_factory.mktemp("layout")
    result = generate_report(sample_path, out / "报告.docx", pdf=True)
    assert result.office is not None and result.office.pdf is not None, result.office
    html = out / "bbox.html"
    subprocess.run(["pdftotext", "-bbox-layout", str(result.office.pdf), str(html)], check=True)
    lines, words = [], []
    for number, page in enumerate(etree.parse(str(html), etree.HTMLParser(encoding="utf-8")).iter("page"), start=1):
        for line in page.iter("line"):
            found = [Line(number, w.text or "", *_box(w)) for w in line.iter("word")]
            words += found
            lines.append(Line(number, "".join(w.text for w in found), *_box(line)))
    return Document(str(result.output)), lines, words


def _box(element) -> list[float]:
    return [float(element.get(k)) for k in ("xmin", "xmax", "ymin", "ymax")]


def _header_texts() -> set[str]:
    texts = set()
    for name in ("standard", "shanghai"):
        for table in load_spec(name).tables:
            texts |= {cell.text.replace("\n", "") for row in table.header for cell in row}
    return {t for t in texts if len(t) >= 3}


def _below(upper: Line, lower: Line) -> bool:
    """lower is the next line of the same cell: same page, just below, horizontally overlapping."""
    height = upper.y1 - upper.y0
    return (upper.page == lower.page and 0 <= lower.y0 - upper.y1 < height * 0.8
            and min(upper.x1, lower.x1) - max(upper.x0, lower.x0) > 0)


#: Known failure: 自评报告's indicator headings (“1. 成本指标”, “（1）经济成本指标”) are Normal paragraphs of the
#: Word template, without “keep with next”; the template's owner gives them a heading style. strict: a fix shows.
PENDING = pytest.mark.xfail(strict=True, reason="模板中自评报告的指标小标题是正文样式，未设“与下段同页”（模板待改）")


def test_no_header_cell_ends_with_a_one_character_line(printed):
    _, _, words = printed
    headers = _header_texts()
    tails = [word for word in words if len(word.text) == 1]
    broken = sorted({upper.text + "／" + tail.text for tail in tails for upper in words
                     if _below(upper, tail) and upper.text + tail.text in headers})
    assert broken == []


def _heading_texts(document) -> set[str]:
    found = set()
    for paragraph in document.paragraphs:
        text = paragraph.text.replace(" ", "").replace("\t", "")
        style = paragraph.style.name
        if style.startswith("Heading") or (style == "Normal" and 2 <= len(text) <= 20 and not text.endswith(CLOSING)):
            found.add(text)
    return found


def test_first_part_heading_has_no_one_word_second_line(printed):
    _, lines, _ = printed
    first = next(i for i, line in enumerate(lines) if line.text.replace(" ", "") == "第一部分")
    assert lines[first + 1].text.endswith("概况") and len(lines[first + 1].text) > 2


@PENDING
def test_no_heading_is_the_last_line_of_a_page(printed):
    document, lines, _ = printed
    headings = _heading_texts(document)
    last: dict[int, Line] = {}
    for line in lines:
        if line.text.strip() and not PAGE_NUMBER.match(line.text) and (
                line.page not in last or line.y0 >= last[line.page].y0):
            last[line.page] = line
    alone = [(page, line.text) for page, line in sorted(last.items())
             if any(h.endswith(line.text.replace(" ", "")) and len(line.text) >= 2 for h in headings)]
    assert alone == []
