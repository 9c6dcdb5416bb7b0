"""Issue 23: the Shanghai profiles write amounts and the “三公” section as the Shanghai form and publications do.

The conventions are profile data (conventions.text_thousands, text_zero, zero_base), the one “三公” sentence is the
template's: 2995.39万元 without a thousands separator, zero as 0.00万元, 增长100.00% for a department new in the year,
and “……年度无“三公”经费财政拨款支出。” whenever nothing was spent, with or without a budget.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from docx import Document
from shanghai_support import shanghai_data

from genreport.api import generate_report
from genreport.excel import write_workbook
from genreport.profile import load_profile
from genreport.spec import load_spec

NONE_SENTENCE = "上海市示例区示例局2024年度无“三公”经费财政拨款支出。"


def _paragraphs(tmp_path, mutate=None) -> list[str]:
    data = shanghai_data()
    if mutate:
        mutate(data)
    source = write_workbook(tmp_path / "上海.xlsx", load_spec("shanghai"), data)
    result = generate_report(source, tmp_path / "out", force=True)
    assert result.output is not None
    return [p.text for p in Document(str(result.output)).paragraphs]


def _section_seven(paragraphs: list[str]) -> list[str]:
    start = paragraphs.index("七、财政拨款“三公”经费支出决算情况说明", 20) + 1
    end = paragraphs.index("八、政府性基金预算财政拨款收入支出决算情况说明", start)
    return [p for p in paragraphs[start:end] if p]


@pytest.mark.parametrize("profile", ["shanghai-district", "shanghai-district-budget"])
def test_shanghai_profiles_state_the_shanghai_number_style(profile):
    conv = load_profile(profile).conventions
    assert (conv.text_thousands, conv.text_zero, conv.zero_base) == (False, "0.00", "hundred")


def test_running_text_has_no_thousands_separator_and_zero_reads_0_00(tmp_path):
    def large_agency(data):
        data["forms"]["other"]["agency_cost"] = Decimal("2995.39")
        data["forms"]["prior"]["agency_cost"] = Decimal("2800.00")

    text = "\n".join(_paragraphs(tmp_path, large_agency))
    assert "机关运行经费支出2995.39万元，比2023年度增加195.39万元" in text
    assert not re.search(r"\d,\d{3}", text)
    assert "工程采购金额0.00万元" in text
    assert not re.search(r"(?<![\d.])0万元", text)


def test_a_new_department_grows_by_100_percent(tmp_path):
    def new(data):
        data["forms"]["prior"]["total"] = Decimal("0.00")

    text = "\n".join(_paragraphs(tmp_path, new))
    assert "与2023年度相比，收入支出总计增加750.00万元，增长100.00%。" in text


@pytest.mark.parametrize("budget", ["35.00", "0.00"], ids=["with-budget", "without-budget"])
def test_no_sangong_spending_is_one_sentence(budget, tmp_path):
    def nothing_spent(data):
        row = data["tables"]["t09"]["lines"]["row"]
        for key in row:
            if key.startswith("actual_"):
                row[key] = Decimal("0.00")
        if budget == "0.00":
            for key in row:
                row[key] = Decimal("0.00")

    assert _section_seven(_paragraphs(tmp_path, nothing_spent)) == [NONE_SENTENCE]


def test_sangong_spending_is_described_item_by_item(tmp_path):
    seven = _section_seven(_paragraphs(tmp_path))
    assert NONE_SENTENCE not in seven and seven[0] == "（一）“三公”经费财政拨款支出决算总体情况说明。"
