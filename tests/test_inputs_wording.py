"""Issue 13: the new inputs print in the profiles' wording; typed text prints as typed."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
from shanghai_support import shanghai_data
from test_inputs_blank import SOURCES, document_text

from genreport.api import generate_report
from genreport.excel import write_workbook
from genreport.spec import load_spec

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "xinxiang-2024" / "workbook.xlsx"


def _text(tmp_path: Path, spec: str, data: dict) -> str:
    source = write_workbook(tmp_path / "w.xlsx", load_spec(spec), data)
    result = generate_report(source, tmp_path, force=True)
    assert result.output is not None, result.report.to_text()
    return document_text(result.output)


def test_full_year_budget_wording_in_the_shanghai_profile(tmp_path):
    data = shanghai_data()
    for record in data["lists"]["budgets"]:
        record["full_budget"] = "500.00" if record["code"] == "2010301" else record["budget"]
    text = _text(tmp_path, "shanghai", data)
    assert "年初预算为480.00万元，全年预算为500.00万元，支出决算为500.00万元，完成全年预算的100.00%" in text
    # the total: every item has a 全年预算数, so the sentence compares with their sum (778.00)
    assert "年初预算为758.00万元，全年预算为778.00万元，支出决算为750.00万元，完成全年预算的96.40%" in text


def test_full_year_budget_instead_of_initial_budget_in_the_central_profile(tmp_path):
    data = copy.deepcopy(SOURCES["standard"])
    for record in data["lists"]["budgets"]:
        record["full_budget"], record["budget"] = record["budget"], None
    data["lists"]["budgets"][0]["full_budget"] = Decimal("411.02")
    text = _text(tmp_path, "standard", data)
    assert "行政运行（项）。全年预算为411.02万元，支出决算为411.02万元，完成全年预算的100.00%。决算数与全年预算数无差异。" in text
    assert "年初预算为6,655.15" not in text and "全年预算为6,664.30万元，支出决算为5,998.19万元" in text


def test_shanghai_procurement_and_section_ten_counts_print(tmp_path):
    text = _text(tmp_path, "shanghai", shanghai_data())
    assert ("面向中小企业预留政府采购项目预算金额100.00万元，面向小微企业预留政府采购项目预算金额70.00万元。"
            "在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额90.00万元；"
            "在面向小微企业预留政府采购项目中，由小微企业供应商中标或成交的，采购金额60.00万元；"
            "在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额30.00万元。") in text
    assert ("编报绩效目标的2024年度项目3个，涉及预算金额150.00万元；绩效跟踪评价的2024年度项目2个，涉及预算金额130.00万元；"
            "绩效自评的2024年度项目3个，涉及预算金额150.00万元，平均得分92.5分（其中，绩效评级为“优”的项目2个；"
            "绩效评级为“良”的项目1个；绩效评级为“合格”的项目0个；绩效评级为“不合格”的项目0个。"
            "绩效自评中共发现问题4个，已经完成整改的3个，正在整改的1个）。") in text


def test_typed_percent_formula_and_chinese_date_print_as_typed(tmp_path):
    book = openpyxl.load_workbook(SAMPLE)
    indicators = book["绩效自评指标"]
    indicators["F3"], indicators["G3"] = "=100%", 1
    indicators["G3"].number_format = "0%"
    book["封面概况"]["B5"] = datetime.datetime(2025, 9, 1)
    book["封面概况"]["B5"].number_format = 'yyyy"年"m"月"'
    source = tmp_path / "typed.xlsx"
    book.save(source)
    result = generate_report(source, tmp_path, force=True)
    text = document_text(result.output)
    assert "2025年9月" in text and "2025-09-01" not in text
    first = book["绩效自评指标"]["E3"].value
    rows = [line for line in text.splitlines() if line == "=100%" or line == "100%"]
    assert rows.count("=100%") >= 1 and rows.count("100%") >= 1, first
