"""`genreport init --from LAST_YEAR.xlsx`: next year's workbook pre-filled from last year's."""

from __future__ import annotations

import copy
from decimal import Decimal

import openpyxl
from docx import Document

from genreport.api import check_workbook, generate_report, init_workbook
from genreport.excel import write_workbook


def test_prior_year_figures_equal_last_years_current(sample_path, tmp_path):
    target = init_workbook(tmp_path / "2025.xlsx", last_year=sample_path)
    workbook, _ = check_workbook(target)
    assert workbook.year == 2025
    assert workbook.dept_name == "新乡市行政审批和政务信息管理局"
    assert workbook.value("profile", "duties")[0].startswith("（一）研究起草全市行政审批")
    prior = {k: v.value for k, v in workbook.forms["prior"].items()}
    assert prior == {"total": Decimal("10394.91"), "fiscal_total": Decimal("10394.91"),
                     "general_expense": Decimal("5998.19"), "agency_cost": Decimal("73.24"),
                     "sangong_total": Decimal("2.24"), "abroad": Decimal("0.00"), "car": Decimal("2.10"),
                     "reception": Decimal("0.14"), "project_expense": Decimal("9187.45")}
    assert workbook.tables["t01"].empty, "current-year tables start blank"


def test_prefilled_cells_are_marked(sample_path, tmp_path):
    target = init_workbook(tmp_path / "2025.xlsx", last_year=sample_path)
    sheet = openpyxl.load_workbook(target)["上年数"]
    marked = [row[1] for row in sheet.iter_rows(min_row=3) if row[1].comment is not None]
    assert len(marked) == 9
    assert all("上年" in cell.comment.text for cell in marked)


def test_next_years_report_compares_against_carried_figures(sample_path, spec, seed_plain_data, tmp_path):
    carried, _ = check_workbook(init_workbook(tmp_path / "2025.xlsx", last_year=sample_path))
    data = copy.deepcopy(seed_plain_data)  # next year's current figures: the same tables …
    data["forms"]["profile"]["year"] = 2025
    data["forms"]["prior"] = {k: v.value for k, v in carried.forms["prior"].items()}
    data["forms"]["other"]["agency_cost"] = Decimal("60.00")  # … and a lower 机关运行经费
    source = write_workbook(tmp_path / "filled.xlsx", spec, data)
    result = generate_report(source, tmp_path)
    assert result.output is not None, result.report.to_text()
    text = "\n".join(p.text for p in Document(str(result.output)).paragraphs)
    assert "与上年度相比，收、支总计持平。" in text
    assert "与上年度相比，财政拨款收、支总计持平。" in text
    assert "与上年度相比，一般公共预算财政拨款支出持平。" in text
    assert "2025年度机关运行经费支出60.00万元，比2024年度减少13.24万元，下降18.08%。" in text
