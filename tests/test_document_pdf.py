"""Real-office test: the sample's report through LibreOffice (--pdf) reads like the publication. Skips without soffice."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from docx import Document

from genreport.api import generate_report
from genreport.pdf import find_soffice

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(find_soffice() is None or shutil.which("pdftotext") is None,
                       reason="LibreOffice (soffice) or poppler-utils not installed"),
]

PARTS = ["第一部分", "第二部分", "第三部分", "第四部分", "第五部分"]
KEY_FIGURES = ["10,394.91", "52.76%", "86.15%", "8,637.14", "5,998.19", "1,207.46", "9,187.45", "11.62%",
               "88.38%", "71.38%", "1,085.66", "2.24"]


@pytest.fixture(scope="session")
def converted(sample_path, tmp_path_factory):
    """Generate the sample with --pdf once per session; return (result, pages as whitespace-free text)."""
    result = generate_report(sample_path, tmp_path_factory.mktemp("pdf"), pdf=True)
    assert result.office is not None and result.office.pdf is not None, result.office
    text = subprocess.run(["pdftotext", "-layout", str(result.office.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    raw = text.split("\f")[:-1]  # pdftotext ends every page with a form feed
    return result, [re.sub(r"\s+", "", page) for page in raw], raw


def test_pdf_has_a_plausible_page_count(converted):
    _, pages, _ = converted
    assert 25 <= len(pages) <= 80


def test_every_part_heading_table_title_and_key_figure_is_in_the_pdf(converted, spec):
    _, pages, _ = converted
    body = "".join(pages[3:])
    for part in PARTS:
        assert part in body
    for table in spec.tables:
        assert table.title.replace(" ", "") in body, table.title
        assert table.number.replace(" ", "") in body, table.number
    for caption in ("图1：收入决算结构图", "图2：支出决算结构图", "图3：财政拨款支出决算结构图"):
        assert caption in body
    for figure in KEY_FIGURES:
        assert figure in body, figure


def test_pdf_embeds_a_cjk_font(converted):
    result, _, _ = converted
    fonts = subprocess.run(["pdffonts", str(result.office.pdf)], capture_output=True, text=True, check=True).stdout
    embedded_cjk = [line for line in fonts.splitlines()[2:] if "CJK" in line and " yes " in line]
    assert embedded_cjk, fonts


def _page_number(page: str) -> int | None:
    found = re.search(r"—(\d+)—$", page)
    return int(found.group(1)) if found else None


def test_cover_and_toc_have_no_page_number_and_the_body_starts_at_one(converted):
    _, pages, _ = converted
    first_body = next(i for i, p in enumerate(pages) if p.startswith("第一部分"))
    assert all(_page_number(p) is None for p in pages[:first_body])
    numbers = [_page_number(p) for p in pages[first_body:]]
    assert numbers == list(range(1, len(numbers) + 1))


def test_toc_lists_every_part_with_the_page_it_starts_on(converted):
    result, pages, raw = converted
    assert result.office.toc_filled
    first_body = next(i for i, p in enumerate(pages) if p.startswith("第一部分"))
    lines = [re.match(r"\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", line) for page in raw[:first_body]
             for line in page.splitlines()]
    toc = {m.group(1).replace(" ", ""): int(m.group(2)) for m in lines if m}
    assert len(toc) >= 25
    by_number = {_page_number(p): p for p in pages}
    for part in PARTS:
        title, page = next((t, n) for t, n in toc.items() if t.startswith(part))
        assert by_number[page].find(title) != -1, (title, page)


def test_docx_toc_cache_carries_the_page_numbers(converted):
    result, _, _ = converted
    entries = [p.text for p in Document(str(result.output)).paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    assert len(entries) >= 25
    assert all(re.search(r"\t\d+$", e) for e in entries), entries[:3]


@pytest.mark.parametrize("number, header", [("公开01表", "栏次"), ("公开06表", "经济分类"), ("公开04表", "栏次")])
def test_long_tables_repeat_their_header_on_every_page(converted, number, header):
    _, pages, _ = converted
    start = next(i for i, p in enumerate(pages) if number in p)
    end = next(i for i in range(start + 1, len(pages)) if re.search(r"公开\d\d表|第三部分", pages[i]))
    assert end - start >= 1
    for page in pages[start:end]:
        assert header in page
