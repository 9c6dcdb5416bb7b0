"""Issue 23: every bundled profile names its subject as the workbook says (部门/单位, 本部门/本单位).

Each profile's workbook is set to 部门 and to 单位 on its cover sheet (by the label the accountant sees), the
report is generated, and the document's own wording (the accountant's typed text taken out) carries no
self-reference of the other kind: no 本单位 in a 部门 report, no 部门决算 heading in a 单位 report.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from budget_support import BUDGET_SAMPLE
from docx import Document
from shanghai_support import shanghai_data

from genreport.api import generate_report
from genreport.excel import write_workbook
from genreport.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent

#: kind → the wording of the other kind that must not appear (fixed terms such as 主管部门, 部门评价,
#: 部门预算经济分类 and 行政事业单位 name things, not the report's subject).
OTHER = {
    "部门": re.compile(r"本单位|我单位|(?<!事业)单位决算|(?<![预算事业])单位预算|单位职责|反映单位本年度|编制单位：|年度?单位"),
    "单位": re.compile(r"本部门|我部门|(?<!主管)部门决算|(?<!主管)部门预算(?!经济分类)|部门职责|反映部门本年度|编制部门："
                      r"|部门名称：|部门开支|年度?部门"),
}


def _shanghai(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "上海.xlsx", load_spec("shanghai"), shanghai_data())


SOURCES = {
    "central": lambda tmp: ROOT / "samples" / "xinxiang-2024" / "workbook.xlsx",
    "shanghai-district": _shanghai,
    "shanghai-district-budget": lambda tmp: BUDGET_SAMPLE,
}


def _as_kind(source: Path, kind: str, target: Path) -> Path:
    """Return a copy of source whose cover sheet says kind in the 决算类型/预算类型 cell; typed texts collected."""
    book = openpyxl.load_workbook(source)
    sheet = book["封面概况"]
    row = next(r for r in sheet.iter_rows() if r[0].value in ("决算类型", "预算类型"))
    row[1].value = kind
    book.save(target)
    return target


def _typed_texts(path: Path) -> list[str]:
    """Return every text the accountant typed (longest first), so the test judges only the tool's wording."""
    book = openpyxl.load_workbook(path, read_only=True)
    found = {line.strip() for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
             if isinstance(v, str) for line in v.splitlines() if len(line.strip()) >= 8}
    return sorted(found, key=len, reverse=True)


def _document_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize("kind", ["部门", "单位"])
@pytest.mark.parametrize("profile", list(SOURCES))
def test_the_report_names_its_subject_as_the_workbook_says(profile, kind, tmp_path):
    source = _as_kind(SOURCES[profile](tmp_path), kind, tmp_path / f"{kind}.xlsx")
    result = generate_report(source, tmp_path / "out", force=True)
    assert result.output is not None
    text = _document_text(result.output)
    assert f"{kind}决算" in text or f"{kind}预算" in text
    for typed in _typed_texts(source):
        text = text.replace(typed, "")
    assert OTHER[kind].findall(text) == []
