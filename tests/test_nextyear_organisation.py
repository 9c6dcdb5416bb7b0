"""Issue 23: `init --from` carries what describes the organisation and states last year's "none" as 0.

The same units three years running were retyped each year; a 政府性基金 / 国有资本经营 budget that last year's
tables leave blank came over blank (a required cell to fill) instead of 0.
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl
from budget_support import BUDGET_SAMPLE
from shanghai_support import shanghai_data

from genreport.api import check_workbook, init_workbook
from genreport.excel import write_workbook
from genreport.spec import load_spec


def _list_rows(path, sheet: str) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[sheet]
    header = next(r[0].row for r in ws.iter_rows() if r[0].value == "单位名称")
    return [tuple(c for c in row[:2]) for row in ws.iter_rows(min_row=header + 1, values_only=True) if row[0]]


def _form_value(path, sheet: str, label: str):
    row = next(r for r in openpyxl.load_workbook(path)[sheet].iter_rows() if r[0].value == label)
    return row[1].value


def test_budget_units_and_their_types_are_carried(tmp_path):
    last = openpyxl.load_workbook(BUDGET_SAMPLE)
    ws = last["预算单位构成"]
    ws["A4"], ws["B4"] = "某某执法大队", "参公单位"
    ws["A5"], ws["B5"] = "某某服务中心", "事业单位"
    last.save(tmp_path / "2025.xlsx")
    target = init_workbook(tmp_path / "2026.xlsx", last_year=tmp_path / "2025.xlsx")
    assert _list_rows(target, "预算单位构成") == [("财政局本部", "行政单位"), ("某某执法大队", "参公单位"),
                                               ("某某服务中心", "事业单位")]
    workbook, _ = check_workbook(target)
    assert workbook.year == 2026 and len(workbook.lists["unit_list"]) == 3


def test_budget_funds_last_years_tables_leave_blank_come_over_as_zero(tmp_path):
    target = init_workbook(tmp_path / "2026.xlsx", last_year=BUDGET_SAMPLE)
    assert _form_value(target, "上年预算数", "上年政府性基金拨款支出预算") == 0
    assert _form_value(target, "上年预算数", "上年国有资本经营预算拨款支出预算") == 0
    assert _form_value(target, "上年预算数", "上年因公出国（境）费预算") == 0
    workbook, report = check_workbook(target)
    assert workbook.value("prior", "fund") == Decimal("0")
    assert not [i for i in report.errors if i.sheet == "上年预算数"]


def test_shanghai_units_are_carried(tmp_path):
    last = write_workbook(tmp_path / "2024.xlsx", load_spec("shanghai"), shanghai_data())
    target = init_workbook(tmp_path / "2025.xlsx", last_year=last)
    assert _list_rows(target, "决算单位构成") == [("上海市示例区示例局（本级）", "行政单位"),
                                               ("上海市示例区示例事务中心", "事业单位")]
