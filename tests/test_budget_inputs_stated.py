"""Issue 23: the 部门预算 workbook takes what real budget publications state, and the report says nothing it does not.

Every workbook here is the 普陀 sample changed the way an accountant changes it: a value typed into the cell beside
its label, list rows typed under the sheet's headers. Covered: an empty 绩效目标 list (a finding, unless the
workbook states the count), 绩效目标 as an aggregate, placeholders for blank required values under --force,
unit types 行政/参公/事业, each 项's 上年预算执行数 with the change the tool computes, and the amounts reserved
for 中小企业 and 小微企业 in 政府采购.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from budget_support import BUDGET_PROFILE, BUDGET_SAMPLE
from docx import Document

from genreport.api import check_workbook, generate_report, init_workbook


class Book:
    """The sample workbook opened for typing, as a person edits it (by labels and headers)."""

    def __init__(self) -> None:
        self.book = openpyxl.load_workbook(BUDGET_SAMPLE)

    def type_value(self, sheet: str, label: str, value: Any) -> Book:
        """Type value into the cell right of label."""
        row = next(r for r in self.book[sheet].iter_rows() if r[0].value == label)
        row[1].value = value
        return self

    def list_rows(self, sheet: str) -> tuple[Any, int, dict[str, int]]:
        ws = self.book[sheet]
        header = next(r for r in ws.iter_rows() if r[0].value and r[1].value and all(c.value for c in r[:2])
                      and r[0].row > 1)
        return ws, header[0].row, {c.value: c.column for c in header if c.value}

    def clear_list(self, sheet: str) -> Book:
        ws, top, _ = self.list_rows(sheet)
        for row in ws.iter_rows(min_row=top + 1):
            for cell in row:
                cell.value = None
        return self

    def type_rows(self, sheet: str, rows: list[dict[str, Any]]) -> Book:
        """Type rows (header → value) below the list's last filled row."""
        ws, top, columns = self.list_rows(sheet)
        last = max([c.row for c in ws["A"] if c.value is not None and c.row > top] or [top])
        for offset, values in enumerate(rows, start=1):
            for header, value in values.items():
                ws.cell(last + offset, columns[header], value)
        return self

    def type_in_row(self, sheet: str, key: str, values: dict[str, Any]) -> Book:
        """Type values (header → value) into the list row whose first cell is key."""
        ws, top, columns = self.list_rows(sheet)
        row = next(c.row for c in ws["A"] if str(c.value) == key and c.row > top)
        for header, value in values.items():
            ws.cell(row, columns[header], value)
        return self

    def save(self, path: Path) -> Path:
        self.book.save(path)
        return path


def _codes(path: Path) -> dict[str, list[Any]]:
    _, report = check_workbook(path)
    found: dict[str, list[Any]] = {}
    for issue in report.issues:
        found.setdefault(issue.code, []).append(issue)
    return found


def _paragraphs(path: Path, out: Path, force: bool = False) -> list[str]:
    result = generate_report(path, out, force=force)
    assert result.output is not None, result.report.to_text()
    return [p.text for p in Document(str(result.output)).paragraphs]


# ---- 绩效目标: required when the tables show 项目支出; projects or an aggregate ----

def test_an_empty_performance_list_is_a_finding(tmp_path):
    path = Book().clear_list("绩效目标").save(tmp_path / "空.xlsx")
    found = _codes(path)
    assert [(i.severity, i.sheet) for i in found["b-performance-missing"]] == [("error", "绩效目标")]
    message = found["b-performance-missing"][0].message
    assert "项目支出" in message and "绩效目标汇总" in message


def test_stating_no_projects_is_not_a_finding_and_prints_the_stated_zero(tmp_path):
    path = (Book().clear_list("绩效目标").type_value("绩效目标汇总", "编报绩效目标的项目个数", 0)
            .save(tmp_path / "零.xlsx"))
    assert "b-performance-missing" not in _codes(path)
    text = "\n".join(_paragraphs(path, tmp_path))
    assert "2025年度，本部门编报绩效目标的项目共0个，涉及项目预算资金0.00万元。" in text


def test_performance_as_an_aggregate(tmp_path):
    path = (Book().clear_list("绩效目标").type_value("绩效目标汇总", "编报绩效目标的项目个数", 12)
            .type_value("绩效目标汇总", "涉及项目预算资金", 5650.51).save(tmp_path / "汇总.xlsx"))
    assert _codes(path).keys() <= {"sangong-item-blank"}
    paragraphs = _paragraphs(path, tmp_path)
    assert "2025年度，本部门编报绩效目标的项目共12个，涉及项目预算资金5650.51万元。" in paragraphs


def test_an_aggregate_count_needs_its_amount(tmp_path):
    path = Book().type_value("绩效目标汇总", "编报绩效目标的项目个数", 3).save(tmp_path / "缺金额.xlsx")
    missing = _codes(path)["required-missing"]
    assert [(i.sheet, i.severity) for i in missing] == [("绩效目标汇总", "error")]


# ---- --force: a blank required value prints a visible placeholder ----

def test_forced_report_marks_blank_required_values(tmp_path):
    path = (Book().type_value("国有资产", "本年预算安排购置车辆", None).type_value("政府采购预算", "政府采购工程预算", None)
            .save(tmp_path / "空白.xlsx"))
    assert {i.code for i in check_workbook(path)[1].errors} == {"required-missing"}
    text = "\n".join(_paragraphs(path, tmp_path, force=True))
    assert "2025年部门预算安排购置车辆【未填写：本年预算安排购置车辆】辆，其中：" in text
    assert "政府采购工程预算【未填写：政府采购工程预算】万元" in text
    assert "None" not in text and "车辆辆" not in text and "预算万元" not in text


# ---- 单位构成: 行政 / 参公 / 事业 ----

def test_unit_types_include_cangong_and_are_counted(tmp_path):
    path = (Book().type_rows("预算单位构成", [{"单位名称": "某某执法大队", "单位类型": "参公单位"},
                                          {"单位名称": "某某服务中心", "单位类型": "事业单位"},
                                          {"单位名称": "某某事务所", "单位类型": "事业单位"}])
            .save(tmp_path / "单位.xlsx"))
    assert "bad-choice" not in _codes(path)
    text = "\n".join(_paragraphs(path, tmp_path))
    assert "上海市普陀区财政局部门预算包括财政局本部以及下属3家预算单位的综合收支计划。" in text
    assert "本部门中，行政单位1家，参公单位1家，事业单位2家，具体包括：" in text


def test_the_blank_workbook_offers_the_three_unit_types(tmp_path):
    sheet = openpyxl.load_workbook(init_workbook(tmp_path / "新.xlsx", BUDGET_PROFILE))["预算单位构成"]
    assert any('"行政单位,参公单位,事业单位"' == v.formula1 for v in sheet.data_validations.dataValidation)


# ---- each 项: 上年预算执行数, the change the tool computes, and its reason ----

def test_prior_execution_per_item_gives_the_change_and_its_rate(tmp_path):
    path = (Book().type_in_row("主要用途", "2010601", {"上年预算执行数": 1600.00, "增减变化原因": "人员经费增加"})
            .type_in_row("主要用途", "2010602", {"上年预算执行数": 12.00})
            .type_in_row("主要用途", "2010607", {"上年预算执行数": 166.66})
            .type_in_row("主要用途", "2010608", {"上年预算执行数": 0, "增减变化原因": "新增项目"})
            .save(tmp_path / "执行数.xlsx"))
    found = _codes(path)
    assert [i.cell[0] for i in found["b-item-reason-missing"]] == ["E"]  # 2010602 changed without a reason
    lines = _paragraphs(path, tmp_path)
    start = lines.index("财政拨款支出主要内容如下：") + 1
    # 1623.18 − 1600.00 = 23.18; 23.18 / 1600.00 = 1.44875% → 1.45% (half-up, by the tool)
    assert lines[start] == ("1.“一般公共服务支出（类）财政事务（款）行政运行（项）”1623.18万元，比2024年预算执行数增加23.18万元，"
                            "增长1.45%，主要原因是人员经费增加，主要用于局本级及所属单位人员经费及公用经费等的基本支出。")
    assert lines[start + 1].startswith("2.“一般公共服务支出（类）财政事务（款）一般行政管理事务（项）”10.00万元，"
                                       "比2024年预算执行数减少2.00万元，下降16.67%，主要用于")
    assert "166.66万元，与2024年预算执行数持平，主要用于" in lines[start + 2]
    # a new item (last year 0): the Shanghai way, conventions.zero_base: hundred
    assert "418.80万元，比2024年预算执行数增加418.80万元，增长100.00%，主要原因是新增项目，主要用于" in lines[start + 3]
    assert "预算执行数" not in lines[start + 4]  # not stated: the current form's sentence


# ---- 政府采购: amounts reserved for 中小企业 and, within them, 小微企业 ----

def test_reserved_procurement_amounts_are_printed(tmp_path):
    path = (Book().type_value("政府采购预算", "面向中小企业预留金额", 80)
            .type_value("政府采购预算", "其中：面向小微企业预留金额", 50).save(tmp_path / "预留.xlsx"))
    assert "b-proc-sme" not in _codes(path)
    text = "\n".join(_paragraphs(path, tmp_path))
    assert ("政府采购服务预算100.00万元。2025年度本部门面向中小企业预留政府采购项目预算金额80.00万元，"
            "其中：面向小微企业预留政府采购项目预算金额50.00万元。") in text


@pytest.mark.parametrize("sme, small", [(200, None), (80, 90)], ids=["over-total", "small-over-sme"])
def test_reserved_amounts_are_bounded(sme, small, tmp_path):
    path = (Book().type_value("政府采购预算", "面向中小企业预留金额", sme)
            .type_value("政府采购预算", "其中：面向小微企业预留金额", small).save(tmp_path / "超.xlsx"))
    assert [i.severity for i in _codes(path)["b-proc-sme"]] == ["error"]


# ---- the 决算 profiles: the same placeholders ----

def _blank_cover_and_forms(source: Path, target: Path) -> Path:
    book = openpyxl.load_workbook(source)
    for sheet, label in [("封面概况", "部门名称"), ("政府采购", "政府采购支出总额"), ("国有资产", "车辆总数"),
                         ("机关运行经费", "本年机关运行经费支出")]:
        if sheet in book.sheetnames:
            row = next((r for r in book[sheet].iter_rows() if r[0].value == label), None)
            if row is not None:
                row[1].value = None
    book.save(target)
    return target


@pytest.mark.parametrize("profile", ["central", "shanghai-district"])
def test_forced_final_accounts_mark_blank_required_values(profile, tmp_path):
    from shanghai_support import shanghai_data

    from genreport.excel import write_workbook
    from genreport.spec import load_spec

    source = (Path(__file__).resolve().parent.parent / "samples" / "xinxiang-2024" / "workbook.xlsx"
              if profile == "central" else
              write_workbook(tmp_path / "sh.xlsx", load_spec("shanghai"), shanghai_data()))
    path = _blank_cover_and_forms(source, tmp_path / "空白.xlsx")
    text = "\n".join(_paragraphs(path, tmp_path / "out", force=True))
    assert "【未填写：部门名称】" in text
    assert "共有车辆【未填写：车辆总数】辆" in text
    assert "【未填写：政府采购支出总额】万元" in text and "【未填写：本年机关运行经费支出】" in text
    assert "None" not in text and "无机关运行经费支出" not in text and "无政府采购支出" not in text
