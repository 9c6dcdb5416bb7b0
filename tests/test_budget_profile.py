"""The 部门预算 profile works through every verb as the 决算 ones do; units and figures are generic data."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from budget_support import BUDGET_PROFILE, BUDGET_SAMPLE, ROOT, budget_workbook
from click.testing import CliRunner

from genreport.units import convert
from genreport.api import check_workbook, export_template, init_workbook
from genreport.commands import cli
from genreport.errors import SpecError
from genreport.figspec import amount_of
from genreport.profile import list_profiles, load_profile
from genreport.spec import load_spec


def test_profile_is_listed_and_names_its_files():
    profile = load_profile(BUDGET_PROFILE)
    assert profile.id in [p.id for p in list_profiles()]
    assert profile.template_path.is_file()
    spec = load_spec(profile.spec)
    # the heading puts the subject before the title (conventions.table_heading "{year}年{kind}{title}"):
    # 2025年部门财务收支预算总表 in a 部门预算, 2025年单位财务收支预算总表 in a 单位预算 (issue 23)
    assert [t.title for t in spec.tables] == [
        "财务收支预算总表", "收入预算总表", "支出预算总表", "财政拨款收支预算总表",
        "一般公共预算支出功能分类预算表", "政府性基金预算支出功能分类预算表",
        "国有资本经营预算支出功能分类预算表", "一般公共预算基本支出部门预算经济分类预算表",
        "“三公”经费和机关运行经费预算表"]
    assert profile.conventions.table_heading == "{year}年{kind}{title}"
    assert [t.unit for t in spec.tables] == ["元"] * 8 + ["万元"]
    assert spec.text_unit == "万元"


def test_blank_budget_workbook_records_its_profile_and_asks_for_inputs(tmp_path):
    target = init_workbook(tmp_path / "预算.xlsx", BUDGET_PROFILE)
    workbook, report = check_workbook(target)
    assert report.profile == BUDGET_PROFILE
    assert {i.code for i in report.errors} == {"required-missing"}
    assert {i.sheet for i in report.errors} >= {"封面概况", "上年预算数", "国有资产"}


def test_next_year_workbook_carries_last_years_budget_in_wan(tmp_path):
    target = init_workbook(tmp_path / "2026.xlsx", last_year=BUDGET_SAMPLE)
    workbook, report = check_workbook(target)
    assert report.profile == BUDGET_PROFILE and workbook.year == 2026
    # 31,214,205.80 元 in last year's tables → 3,121.42 万元 on 上年预算数
    assert workbook.value("prior", "fiscal") == Decimal("3121.42")
    assert workbook.value("prior", "reception") == Decimal("0.95")
    assert workbook.value("profile", "duties")[0].startswith("上海市普陀区财政局是")


def test_cli_generates_the_budget_report(tmp_path):
    result = CliRunner().invoke(cli, [str(BUDGET_SAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    # the file name follows the profile's conventions.file_name: 2025年部门预算, not 2025年度部门决算
    assert [p.name for p in tmp_path.glob("*.docx")] == ["上海市普陀区财政局2025年部门预算.docx"]


def test_cli_check_reports_a_broken_budget_cell(tmp_path):
    from openpyxl import load_workbook

    broken = tmp_path / "broken.xlsx"
    book = load_workbook(BUDGET_SAMPLE)
    book["预算03表"]["C6"] = 99.0  # 201 一般公共服务支出 合计
    book.save(broken)
    result = CliRunner().invoke(cli, ["check", str(broken), "--no-info"])
    assert result.exit_code == 1
    assert "C6" in result.output and "元" in result.output


def test_batch_takes_budget_and_final_account_workbooks_together(tmp_path, sample_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "预算.xlsx").write_bytes(BUDGET_SAMPLE.read_bytes())
    (folder / "决算.xlsx").write_bytes(sample_path.read_bytes())
    result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(tmp_path / "out"), "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").glob("*.docx"))) == 2


def test_template_export_copies_the_budget_files(tmp_path):
    written = {p.relative_to(tmp_path).as_posix() for p in export_template(tmp_path / "x", BUDGET_PROFILE)}
    names = {w.split("/", 1)[1] for w in written}
    assert "shanghai-district-budget.docx" in names
    assert "workbook_specs/budget-shanghai.yaml" in names
    assert "workbook_specs/glossary/shanghai-budget.yaml" in names


def test_unit_conversion_is_half_up():
    assert convert(Decimal("877080.00"), "元", "万元") == Decimal("87.71")
    assert convert(Decimal("2049197.00"), "元", "万元") == Decimal("204.92")
    assert convert(Decimal("782164.00"), "元", "万元") == Decimal("78.22")
    assert convert(Decimal("0.95"), "万元", "元") == Decimal("9500.00")


def test_unknown_unit_is_a_spec_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "workbook_specs" / "budget-shanghai.yaml").read_text(encoding="utf-8")
                   .replace("unit: 元", "unit: 千元", 1), encoding="utf-8")
    with pytest.raises(SpecError, match="千元"):
        load_spec(str(bad))


def test_a_sum_is_converted_once_not_term_by_term():
    """Two 元 cells 0.50 万元 apart in rounding: the sum is rounded, not each term."""
    workbook = budget_workbook()
    amount, blank = amount_of(workbook, "t08[30204].total + t08[30217].total")
    assert (amount, blank) == (Decimal("1.05"), False)  # 1,000.00 + 9,500.00 元 = 1.05 万元


def test_no_python_branches_on_the_document_kind():
    """The profile's files are all the budget-specific content: no Python names it or compares a kind with it."""
    files = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    names = re.compile(r"shanghai-district-budget|budget-shanghai|checks-budget|部门预算|预算表")
    kind = re.compile(r"\b(if|elif|while)\b.*(profile|spec\.id|kind|\.id)\b.*budget|budget.*\b(profile|kind)\b\s*[=!]=",
                      re.I)
    offenders = [f"{name}:{n}" for name in files if name.startswith("cli/")
                 for n, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1)
                 if names.search(line) or kind.search(line)]
    assert offenders == []


def test_text_adjustment_rows_work_in_the_budget_report(tmp_path):
    """文字调整: replace the 收入 paragraph (key s4.income) and add one after the 7th item (s4.item.7)."""
    import yaml
    from build_sample import generic_data
    from docx import Document

    from genreport.api import generate_report
    from genreport.excel import write_workbook

    seed = yaml.safe_load((BUDGET_SAMPLE.parent / "seed_data.yaml").read_text(encoding="utf-8"))
    data = generic_data(seed)
    data["lists"]["overrides"] = [{"key": "s4.income", "mode": "替换", "text": "收入预算另行说明 & <注>。"},
                                  {"key": "s4.item.7", "mode": "追加", "text": "（职业年金按规定缴纳。）"}]
    source = write_workbook(tmp_path / "预算.xlsx", load_spec("budget-shanghai"), data)
    result = generate_report(source, tmp_path)
    assert result.output is not None and result.report.warnings == []
    paragraphs = [p.text for p in Document(str(result.output)).paragraphs]
    assert "收入预算另行说明 & <注>。" in paragraphs
    assert not any(p.startswith("2025年，上海市普陀区财政局收入预算") for p in paragraphs)
    seventh = next(i for i, p in enumerate(paragraphs) if p.startswith("7.“"))
    assert paragraphs[seventh + 1] == "（职业年金按规定缴纳。）"
