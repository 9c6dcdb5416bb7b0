"""The shanghai-district profile follows the official Shanghai 2024 form (shared/reference/shanghai-2024-template.md).

The form's headings and table layouts are kept here as data, so these tests run on a bare clone; one
test re-reads the form itself (skipped when ../shared is absent) to prove the data is the form's.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from genreport.api import generate_report
from shanghai_support import shanghai_data, shanghai_workbook

FORM = Path(__file__).resolve().parents[2] / "shared" / "reference" / "shanghai-2024-template.md"

#: 第三部分 as the form prints it (body headings, levels 2 and 3).
FORM_HEADINGS = [
    "一、收入支出决算总体情况说明", "二、收入决算情况说明", "三、支出决算情况说明",
    "四、财政拨款收入支出决算总体情况说明", "五、一般公共预算财政拨款支出决算情况说明",
    "（一）一般公共预算财政拨款支出决算总体情况", "（二）一般公共预算财政拨款支出决算结构情况",
    "（三）一般公共预算财政拨款支出决算具体情况", "六、一般公共预算财政拨款基本支出决算情况说明",
    "七、财政拨款“三公”经费支出决算情况说明", "（一）“三公”经费财政拨款支出决算总体情况说明。",
    "（二）“三公”经费财政拨款支出决算具体情况说明。", "八、政府性基金预算财政拨款收入支出决算情况说明",
    "九、国有资本经营预算财政拨款收入支出决算情况说明", "十、预算绩效管理情况", "十一、其他重要事项的情况说明",
    "（一）机关运行经费支出情况", "（二）政府采购支出情况", "（三）国有资产占有使用情况说明",
]
DEPT = "上海市示例区示例局"


def _generate(folder: Path, data: dict, force: bool = False) -> Document:
    source = shanghai_workbook(folder / "shanghai.xlsx", data)
    result = generate_report(source, folder, force=force)
    assert result.output is not None, result.report.to_text()
    return Document(str(result.output))


@pytest.fixture(scope="module")
def doc(tmp_path_factory) -> Document:
    return _generate(tmp_path_factory.mktemp("form"), shanghai_data())


def _part_three_headings(document: Document) -> list[str]:
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    start = next(i for i, (s, t) in enumerate(texts) if s == "Heading 1" and t.startswith("第三部分"))
    end = next(i for i, (s, t) in enumerate(texts) if s == "Heading 1" and t.startswith("第四部分"))
    return [t for s, t in texts[start:end] if s in ("Heading 2", "Heading 3")]


def _table_after(document: Document, heading: str) -> list[list[str]]:
    """Return the text grid of the first table after the 表名 paragraph heading."""
    title = next(p for p in document.paragraphs if p.style.name == "表名" and p.text == heading)
    element = title._p.getnext()
    while element.tag != qn("w:tbl"):
        element = element.getnext()
    return [["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.findall(qn("w:tc"))]
            for tr in element.findall(qn("w:tr"))]


def test_part_three_headings_are_the_forms(doc):
    assert _part_three_headings(doc) == FORM_HEADINGS


@pytest.mark.seed
@pytest.mark.skipif(not FORM.exists(), reason="../shared/reference (the official form) is not beside this checkout")
def test_the_heading_data_is_the_forms_own_text():
    form = re.sub(r"\s+", "", FORM.read_text(encoding="utf-8"))
    body = form[form.index("第三部分上海市XX局2024年度部门决算情况说明一、"):]
    assert [h for h in FORM_HEADINGS if h not in body] == []


@pytest.mark.parametrize("heading, pairs", [
    ("一、收入支出决算总表", [("本年收入合计", "本年支出合计"), ("使用非财政拨款结余", "结余分配"),
                        ("年初结转和结余", "年末结转和结余"), ("总计", "总计")]),
    ("四、财政拨款收入支出决算总表", [("本年收入合计", "本年支出合计"),
                            ("年初财政拨款结转和结余", "年末财政拨款结转和结余"), ("总计", "总计")]),
])
def test_two_sided_tables_pair_their_totals_on_one_row(doc, heading, pairs):
    grid = _table_after(doc, heading)
    width = len(grid[1])
    right = 2  # 项目, 决算数 | 项目, …
    rows = [(r[0], r[right]) for r in grid[2:] if len(r) == width]
    for left_label, right_label in pairs:
        assert (left_label, right_label) in rows
    assert rows[0][0].startswith("一、") and rows[0][1] == "一、一般公共服务支出"
    assert "行次" not in grid[1] and all("栏次" not in r[0] for r in grid)


def test_the_sangong_table_interleaves_budget_and_actual(doc):
    grid = _table_after(doc, "七、财政拨款“三公”经费支出决算表")
    assert grid[0] == ["财政拨款“三公”经费"]
    assert grid[1] == ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"]
    assert grid[3] == ["预算数", "决算数"] * 6
    assert grid[4] == ["35.00", "26.00", "10.00", "8.00", "20.00", "15.00", "0.00", "0.00",
                       "20.00", "15.00", "5.00", "3.00"]


def test_the_general_budget_table_puts_its_total_last(doc):
    grid = _table_after(doc, "五、一般公共预算财政拨款支出决算表")
    assert grid[-1][:3] == ["", "合计", "750.00"] and grid[2][0] == "201"


def test_empty_fund_tables_print_the_forms_note_with_the_department(doc):
    texts = [p.text for p in doc.paragraphs]
    for fund in ("政府性基金", "国有资本经营"):
        assert f"说明：{DEPT}本年度没有{fund}预算财政拨款收入和支出，故本表无数据。" in texts
        assert f"{DEPT}2024年度无{fund}预算财政拨款收入和支出。" in texts


def test_no_sangong_spending_prints_the_forms_one_sentence(tmp_path):
    data = shanghai_data()
    data["tables"]["t09"] = {}
    data["forms"]["sangong"] = {}
    data["forms"]["prior"].update({"sangong_total": None, "abroad": None, "car": None, "reception": None})
    document = _generate(tmp_path, data, force=True)
    texts = [p.text for p in document.paragraphs]
    start = texts.index("七、财政拨款“三公”经费支出决算情况说明")
    end = texts.index("八、政府性基金预算财政拨款收入支出决算情况说明")
    assert [t for t in texts[start + 1:end] if t.strip()] == [f"{DEPT}2024年度无“三公”经费财政拨款支出。"]
    assert not any(word in "".join(texts[start:end]) for word in ("团组", "保有量", "0辆"))
    assert "None" not in "".join(texts)


#: A “三公” row with twelve different figures: a sheet read in another order than its header prints other figures.
SANGONG_BY_HEADER = {
    "budget_total": "44.00", "budget_abroad": "10.00", "budget_car": "28.00", "budget_car_buy": "15.00",
    "budget_car_run": "13.00", "budget_reception": "6.00", "actual_total": "38.39", "actual_abroad": "8.00",
    "actual_car": "27.00", "actual_car_buy": "14.80", "actual_car_run": "12.20", "actual_reception": "3.39"}


def test_the_sangong_sheet_filled_by_its_header_prints_the_figures_it_was_given(tmp_path):
    data = shanghai_data()
    data["tables"]["t09"] = {"lines": {"row": {k: Decimal(v) for k, v in SANGONG_BY_HEADER.items()}}}
    data["forms"]["sangong"].update(cars_bought=1, domestic_reception_amount=Decimal("2.39"))
    document = _generate(tmp_path, data)
    grid = _table_after(document, "七、财政拨款“三公”经费支出决算表")
    assert grid[4] == ["44.00", "38.39", "10.00", "8.00", "28.00", "27.00", "15.00", "14.80", "13.00", "12.20",
                       "6.00", "3.39"]
    texts = [p.text for p in document.paragraphs]
    section = "".join(texts[texts.index("七、财政拨款“三公”经费支出决算情况说明"):
                            texts.index("八、政府性基金预算财政拨款收入支出决算情况说明")])
    stated = [  # figures worked out by hand from SANGONG_BY_HEADER and the prior year (30.00, 10.00, 15.00, 5.00)
        "“三公”经费财政拨款支出年初预算为44.00万元，支出决算为38.39万元，完成预算的87.25%，其中：因公出国（境）费决算为"
        "8.00万元，完成预算的80.00%；公务用车购置及运行维护费支出决算为27.00万元，完成预算的96.43%；公务接待费支出决算为"
        "3.39万元，完成预算的56.50%。",
        "比2023年度增加8.39万元，增长27.97%，其中：因公出国（境）费支出决算减少2.00万元，下降20.00%；公务用车购置及运行"
        "维护费支出决算增加12.00万元，增长80.00%；公务接待费支出决算减少1.61万元，下降32.20%。",
        "因公出国（境）费支出决算8.00万元，占20.84%；公务用车购置及运行维护费支出决算27.00万元，占70.33%；公务接待费支出"
        "决算3.39万元，占8.83%。",
        "其中：公务用车购置支出为14.80万元。", "公务用车运行维护支出12.20万元。", "3、公务接待费支出3.39万元。",
    ]
    assert [sentence for sentence in stated if sentence not in section] == []
