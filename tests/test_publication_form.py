"""The official Shanghai 2024 form as published (a WPS-made PDF with XXX placeholders) reads back: all nine
tables recognised by title and header, across its page breaks, and not one figure invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from genreport.api import check_workbook, import_publication
from genreport.publication.read import import_publication as read_publication
from publication_support import table_cells

FORM = Path(__file__).resolve().parents[2] / "shared" / "reference" / "shanghai-2024-form.pdf"

pytestmark = [pytest.mark.seed,
              pytest.mark.skipif(not FORM.exists(), reason="../shared/reference/shanghai-2024-form.pdf is not beside "
                                                           "this checkout")]


@pytest.fixture(scope="module")
def imported():
    return read_publication(FORM)


def test_the_form_is_recognised_as_the_shanghai_profile(imported):
    assert imported.profile.id == "shanghai-district"


def test_all_nine_tables_are_found_with_their_headers_matched(imported):
    found = imported.found
    assert sorted(found) == sorted(t.id for t in imported.profile.workbook_spec.tables)
    assert {tid: f.header_matched for tid, f in found.items() if not f.header_matched} == {}
    assert found["t04"].rows[-1][1] == 9  # 财政拨款收入支出决算总表 continues on the next page without a header
    assert found["t01"].title_page == 5 and found["t09"].title_page == 12


def test_fixed_lines_are_read_by_their_labels_across_the_page_break(imported):
    pages = {where[1]: page for where, page in imported.places.items() if where[0] == "t04"}
    assert pages["c201"] == "第 8 页" and pages["income_total"] == pages["expense_total"] == "第 9 页"
    assert pages["carry_in_general"] == "第 9 页"  # 一、一般公共预算财政拨款 printed twice: the second is 年初结转


def test_no_figure_is_invented(imported, tmp_path):
    written = import_publication(FORM, tmp_path / "form.xlsx")
    workbook, _ = check_workbook(written.output)
    amounts = {k: v for k, v in table_cells(workbook).items() if k[2] != "name" and v is not None}
    assert amounts == {}
    assert workbook.dept_name == "上海市XX局" and workbook.year == 2024
