"""Auditing a publication: errors planted in a generated report (edited in Word, converted by LibreOffice) are
found one each, with their page and sentence; the report's own figures give no narrative finding."""

from __future__ import annotations

import pytest
from docx import Document

from genreport.api import check_workbook
from genreport.pdf import find_soffice, finish_document

pytestmark = [pytest.mark.slow, pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")]


def _replace_in_paragraph(document, old: str, new: str) -> None:
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new, 1)
                return
    raise AssertionError(f"the sample report has no “{old}”")


def _replace_in_table(document, name: str, column: int, old: str, new: str) -> None:
    for table in document.tables:
        for row in table.rows:
            if row.cells[1].text == name and row.cells[column].text == old:
                row.cells[column].paragraphs[0].runs[0].text = new
                return
    raise AssertionError(f"no table row “{name}” with {old}")


@pytest.fixture(scope="module")
def planted(documents, tmp_path_factory):
    """The central sample's report with three errors planted in Word, converted to PDF; return its report."""
    document = Document(str(documents["central"][1]))
    _replace_in_table(document, "一般行政管理事务", 3, "506.13", "560.13")  # 公开02表 财政拨款收入
    _replace_in_paragraph(document, "占71.38%", "占71.83%")  # 五（二）科学技术（类）的占比
    _replace_in_paragraph(document, "支出决算为44.73万元", "支出决算为47.43万元")  # 五（三）行政单位离退休（项）
    target = tmp_path_factory.mktemp("planted") / "planted.docx"
    document.save(str(target))
    office = finish_document(target, pdf=True)
    assert office.pdf is not None, office.notes
    return check_workbook(office.pdf)[1]


def test_each_narrative_error_is_one_finding_with_its_page_and_sentence(planted):
    found = [(i.page, i.actual or i.message) for i in planted.issues if i.code == "narrative-mismatch"]
    assert len(found) == 2, planted.to_text()
    messages = [i.message for i in planted.issues if i.code == "narrative-mismatch"]
    assert any("占71.83%" in m and "按表计算为 71.38%" in m for m in messages)
    assert any("支出决算为47.43万元" in m and "按表计算为 44.73" in m for m in messages)
    assert all(i.page.startswith("第 ") for i in planted.issues if i.code == "narrative-mismatch")


def test_the_changed_table_cell_is_found_on_its_page(planted):
    errors = [(i.code, i.sheet, i.page) for i in planted.errors if i.code != "narrative-mismatch"]
    assert errors and {sheet for _, sheet, _ in errors} == {"公开02表"}
    assert any("2010302" in i.message and "560.13" in i.message for i in planted.errors)
    assert len({page for _, _, page in errors}) == 1 and errors[0][2].startswith("第 ")


@pytest.mark.parametrize("profile", ["central", "shanghai-district", "shanghai-district-budget"])
def test_an_untouched_report_has_no_narrative_finding(documents, profile):
    _, report = check_workbook(documents[profile][2])
    assert [i.message for i in report.issues if i.code == "narrative-mismatch"] == []
