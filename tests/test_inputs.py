"""Issue 13: the inputs real publications need, required only where the figures need them, one finding per cause."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from checks_support import findings, seed_model, set_cell, set_field, shanghai_model

from genreport.api import check_workbook

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "xinxiang-2024" / "workbook.xlsx"
SANGONG = "三公经费补充"


def _codes(workbook) -> list[str]:
    return [f[0] for f in findings(workbook, ("error", "warning"))]


# ---- one cause, one finding ------------------------------------------------------------------------------

def _with_formulas(tmp_path: Path, sheet: str, count: int) -> Path:
    """Return a copy of the sample where `count` amounts of `sheet` are formulas saved without a value."""
    book = openpyxl.load_workbook(SAMPLE)
    done = 0
    for row in book[sheet].iter_rows(min_row=1):
        for cell in row[2:]:
            if isinstance(cell.value, (int, float)) and done < count:
                cell.value = f"={cell.value}+0"
                done += 1
    assert done == count
    target = tmp_path / "formulas.xlsx"
    book.save(target)
    return target


def test_fourteen_uncalculated_formulas_give_fourteen_findings(tmp_path):
    _, report = check_workbook(_with_formulas(tmp_path, "公开05表", 14))
    assert Counter(i.code for i in report.errors + report.warnings) == {"formula-without-value": 14}
    assert all("校验已跳过" in i.message for i in report.errors)   # the note: checks using the cell wait


def test_an_out_of_range_amount_is_reported_once(tmp_path):
    book = openpyxl.load_workbook(SAMPLE)
    book["政府采购"]["B4"] = 4_110_200_000   # goods: beyond 1 亿万元
    book["上年数"]["B3"] = "abc"            # a required amount that is not a number
    target = tmp_path / "range.xlsx"
    book.save(target)
    _, report = check_workbook(target)
    found = [(i.code, i.sheet, i.cell) for i in report.errors + report.warnings]
    assert sorted(found) == [("amount-out-of-range", "政府采购", "B4"), ("not-a-number", "上年数", "B3")]


def test_a_bad_cell_is_skipped_by_the_identities_that_use_it():
    workbook = seed_model()
    cells = workbook.tables["t01"].lines["income_sum"]
    old = cells["amount"]
    cells["amount"] = type(old)(None, old.sheet, old.cell, bad=True)
    assert not [f for f in findings(workbook, ("error", "warning")) if f[1] == "公开01表"]


# ---- requirements follow the figures -----------------------------------------------------------------------

COUNTS = ("abroad_groups", "abroad_people", "cars_bought", "cars_held", "foreign_reception_amount",
          "foreign_groups", "foreign_people", "domestic_reception_amount", "domestic_groups", "domestic_people")


def test_blank_sangong_counts_are_no_error_without_sangong_spending():
    workbook = seed_model()
    for column in ("total", "abroad", "car", "car_buy", "car_run", "reception"):
        for side in ("budget", "actual"):
            set_cell(workbook, "t09", "row", f"{side}_{column}", "0.00")
    for key in COUNTS:
        set_field(workbook, "sangong", key, None)
    assert [f for f in findings(workbook, ("error", "warning")) if f[1] == SANGONG] == []


def test_a_blank_count_is_an_error_where_its_item_has_spending():
    workbook = seed_model()   # the seed spends on 公务用车运行维护 (2.10) and 公务接待 (0.14)
    set_field(workbook, "sangong", "cars_held", None)
    set_field(workbook, "sangong", "abroad_groups", None)   # no 因公出国 spending: not needed
    assert [f for f in findings(workbook, ("error",)) if f[1] == SANGONG] == [["required-missing", SANGONG, "B6"]]


def test_sangong_counts_are_not_required_by_the_reader(tmp_path):
    book = openpyxl.load_workbook(SAMPLE)
    book[SANGONG]["B3"] = None
    target = tmp_path / "counts.xlsx"
    book.save(target)
    _, report = check_workbook(target)
    assert not [i for i in report.issues if i.sheet == SANGONG and i.severity != "info"]


# ---- Shanghai: procurement figures and section 十 counts ---------------------------------------------------

PROC = "政府采购"


@pytest.mark.parametrize("field_id, value, expected", [
    ("small_reserved_budget", "120.00", ["proc-reserved", PROC, "B8"]),
    ("sme_other_won", "150.00", ["proc-won", PROC, "B9"]),
    ("sme_reserved_won", "101.00", ["proc-won-reserved", PROC, "B9"]),
    ("small_reserved_won", "75.00", ["proc-won-reserved", PROC, "B10"]),
])
def test_shanghai_procurement_figures_are_checked(field_id, value, expected):
    workbook = shanghai_model()
    assert [f for f in findings(workbook, ("error", "warning")) if f[1] == PROC] == []
    set_field(workbook, "procurement", field_id, value)
    assert expected in findings(workbook, ("error", "warning"))


@pytest.mark.parametrize("field_id, value, expected", [
    ("rated_good", 2, ["perf-ratings", "预算绩效", "B7"]),
    ("problems_fixing", 2, ["perf-problems", "预算绩效", "B15"]),
    ("mean_score", "101", ["perf-score-range", "预算绩效", "B9"]),
])
def test_shanghai_section_ten_counts_are_checked(field_id, value, expected):
    workbook = shanghai_model()
    assert [f for f in findings(workbook, ("error", "warning")) if f[1] == "预算绩效"] == []
    set_field(workbook, "performance", field_id, value)
    assert expected in findings(workbook, ("error",))


# ---- budgets: 全年预算 and the stated total ----------------------------------------------------------------

def test_a_stated_budget_total_is_checked_at_its_cell_and_the_sum_still_prints():
    from genreport.figures import compute_figures

    workbook = seed_model()
    items = [r["budget"].value for r in workbook.lists["budgets"] if r["fund"].value == "一般公共预算"]
    total = sum(items, Decimal(0))
    set_field(workbook, "budget_totals", "general_initial", str(total + Decimal("0.01")))
    assert ["rounding-difference", "预算总数", "B3"] in findings(workbook, ("info",))
    set_field(workbook, "budget_totals", "general_initial", str(total + Decimal("1.00")))
    assert ["budget-total-mismatch", "预算总数", "B3"] in findings(workbook, ("error",))
    assert compute_figures(workbook)["general"]["completion"].budget == total


def test_a_full_year_budget_alone_is_enough_and_becomes_the_comparison():
    from checks_support import set_record

    from genreport.figures import compute_figures

    workbook = seed_model()
    set_record(workbook, "budgets", 0, "budget", None)
    set_record(workbook, "budgets", 0, "full_budget", "500.00")
    assert "budget-blank" not in _codes(workbook)
    item = next(i for i in compute_figures(workbook)["general"]["details"]
                if i["code"] == workbook.lists["budgets"][0]["code"].value)
    assert item["completion"] is None and item["full_completion"].budget == Decimal("500.00")


# ---- text cells keep what the user sees ------------------------------------------------------------------

def _typed(tmp_path: Path, edits: dict[tuple[str, str], tuple[object, str | None]]) -> Path:
    book = openpyxl.load_workbook(SAMPLE)
    for (sheet, where), (value, fmt) in edits.items():
        book[sheet][where] = value
        if fmt:
            book[sheet][where].number_format = fmt
    target = tmp_path / "typed.xlsx"
    book.save(target)
    return target


def test_percent_formula_and_chinese_date_print_as_typed(tmp_path):
    import datetime

    source = _typed(tmp_path, {("绩效自评指标", "F3"): ("=100%", None), ("绩效自评指标", "G3"): (1, "0%"),
                               ("封面概况", "B5"): (datetime.datetime(2025, 9, 1), 'yyyy"年"m"月"')})
    workbook, report = check_workbook(source)
    indicator = workbook.lists["indicators"][0]
    assert (indicator["target"].value, indicator["actual"].value) == ("=100%", "100%")
    assert workbook.value("profile", "compiled_on") == "2025年9月"
    shown = [(i.code, i.cell) for i in report.issues if i.sheet in ("绩效自评指标", "封面概况")]
    assert shown == [("text-as-shown", "F3")]   # the typed formula is named; 100% and 2025年9月 are not ambiguous


def test_a_date_in_another_format_prints_as_a_chinese_date_and_check_says_so(tmp_path):
    import datetime

    workbook, report = check_workbook(_typed(tmp_path, {("封面概况", "B5"): (datetime.datetime(2025, 9, 1), "yyyy-mm-dd")}))
    assert workbook.value("profile", "compiled_on") == "2025年9月"
    issue = next(i for i in report.issues if i.code == "text-as-shown")
    assert (issue.sheet, issue.cell) == ("封面概况", "B5") and "2025-09-01" in issue.message and "2025年9月" in issue.message


def test_excel_chinese_builtin_date_formats_are_known():
    import datetime
    from types import SimpleNamespace

    from genreport.excel.display import number_format, shown_text

    cell = SimpleNamespace(number_format="General", _style=SimpleNamespace(numFmtId=57))
    assert shown_text(45901, number_format(cell)) == "2025年9月"   # Excel stores 2025年9月 as serial 45901, id 57
    assert shown_text(datetime.date(2025, 9, 1), '[DBNum1]yyyy"年"m"月"') == "二〇二五年九月"
    assert shown_text(0.955, "0.0%") == "95.5%" and shown_text(1234.5, "#,##0.00") == "1,234.50"


def test_a_formula_error_in_a_text_cell_is_one_error(tmp_path):
    book = openpyxl.load_workbook(SAMPLE)
    book["绩效自评指标"]["F3"] = "=H3/0"
    target = tmp_path / "err.xlsx"
    book.save(target)
    # openpyxl saves no cached value: the one finding is the missing value, never also 未填写
    _, report = check_workbook(target)
    assert [(i.code, i.cell) for i in report.errors if i.sheet == "绩效自评指标"] == [("formula-without-value", "F3")]


# ---- units -----------------------------------------------------------------------------------------------

def test_the_seed_draws_no_unit_hint():
    assert "unit-hint" not in _codes(seed_model()) and "unit-hint" not in _codes(shanghai_model())


def test_one_amount_typed_in_yuan_draws_a_unit_hint_naming_its_cell():
    from genreport.checks import run_checks

    workbook = seed_model()
    set_field(workbook, "procurement", "goods", "4110200")   # 411.02 万元 typed in 元
    hint = [i for i in run_checks(workbook) if i.code == "unit-hint"]
    assert [(i.sheet, i.cell) for i in hint] == [("政府采购", "B4")]
    assert "411.02" in hint[0].message and "元" in hint[0].message


def test_an_amount_ten_thousand_times_its_neighbours_draws_a_unit_hint():
    workbook = seed_model()
    set_cell(workbook, "t05", "2010301", "basic", "4110200")
    assert ["unit-hint", "公开05表", "D10"] in findings(workbook, ("warning",))


# ---- code lists per year ---------------------------------------------------------------------------------

def _list(year: int, domain: str = "function") -> dict:
    from genreport.checks.codes import code_list

    workbook = seed_model()
    workbook.forms["profile"]["year"] = type(workbook.form("profile", "year"))(year)
    return code_list(workbook, domain)


@pytest.mark.parametrize("year", [2024, 2025])
def test_social_work_codes_are_known(year):
    codes = _list(year)
    assert codes["20139"] == "社会工作事务"
    assert {"2013901", "2013950", "2013999"} <= set(codes)


def test_the_workbook_year_picks_the_code_list():
    from genreport.checks.codes import year_path

    assert year_path("codes/{year}/function.yaml", 2025).parent.name == "2025"
    assert year_path("codes/{year}/function.yaml", 2030).parent.name == "2025"   # newest earlier list
    assert year_path("codes/{year}/function.yaml", 2019).parent.name == "2024"   # none earlier: the oldest
    assert len(_list(2025)) >= len(_list(2024)) > 1400 and len(_list(2025, "economic")) > 100


def test_every_code_of_the_seed_and_the_bundled_samples_is_known():
    import yaml
    from shanghai_support import T05_ROWS, ECONOMIC

    seed = yaml.safe_load((SAMPLE.parent / "seed_data.yaml").read_text(encoding="utf-8"))
    used = {str(row[0]) for table in seed.values() if isinstance(table, dict)
            for row in table.get("rows", []) if isinstance(row, list) and row and row[0] is not None}
    sample = seed_model()
    used |= {r.code for t in sample.tables.values() for r in t.rows}
    used |= {code for code, _, _ in T05_ROWS} | set(ECONOMIC)
    known = set(_list(2024)) | set(_list(2024, "economic"))
    assert len(used) > 50 and used - known == set()


# ---- the template decides which reasons are asked for ------------------------------------------------------

REASONS = "情况说明文字"


def test_a_reason_the_shanghai_template_never_prints_is_not_asked_for():
    workbook = shanghai_model()   # 公务接待费 决算 3.00 ≠ 预算 5.00; the Shanghai form gives no per-item reason
    set_field(workbook, "reasons", "reception_diff", None)
    assert [f for f in findings(workbook, ("warning",)) if f[1] == REASONS] == []


def test_the_same_reason_is_asked_for_where_the_template_prints_it():
    workbook = seed_model()   # the central template prints the 公务接待费 差异原因 (0.14 ≠ 0.50)
    set_field(workbook, "reasons", "reception_diff", None)
    assert ["reason-missing", REASONS, "B12"] in findings(workbook, ("warning",))


def test_year_on_year_sangong_reasons_are_asked_for_only_by_the_profile_that_prints_them():
    shanghai, central = shanghai_model(), seed_model()
    set_field(shanghai, "reasons", "abroad_change", None)
    set_field(central, "prior", "abroad", "9.00")   # central: 因公出国 0.00 vs 9.00, its template prints no reason
    assert ["reason-missing", REASONS, "B17"] in findings(shanghai, ("warning",))
    assert [f for f in findings(central, ("warning",)) if f[1] == REASONS] == []


def test_a_cached_error_value_in_a_text_cell_is_one_error_and_prints_nothing(tmp_path):
    from _hostile import patch_cell

    cell = '<c r="F3" t="e"><f>H3/0</f><v>#DIV/0!</v></c>'
    path = patch_cell(SAMPLE, tmp_path / "error.xlsx", "绩效自评指标", "F3", cell)
    workbook, report = check_workbook(path)
    found = [(i.code, i.cell) for i in report.errors + report.warnings if i.sheet == "绩效自评指标"]
    assert found == [("formula-error", "F3")]
    assert workbook.lists["indicators"][0]["target"].value is None and workbook.lists["indicators"][0]["target"].bad


def test_prior_year_project_expense_gives_the_project_change():
    from genreport.figures import compute_figures

    workbook = seed_model()
    assert compute_figures(workbook)["expense"]["project_change"] is None   # blank: nothing to compare
    set_field(workbook, "prior", "project_expense", "8000.00")
    change = compute_figures(workbook)["expense"]["project_change"]
    assert (change.direction, change.delta) == ("up", Decimal("1187.45"))
    # no bundled template prints a 项目支出 change, so its reason is not asked for
    assert not [f for f in findings(workbook, ("warning",)) if f[0] == "reason-missing"]


def test_a_prior_year_amount_in_yuan_is_one_finding():
    workbook = seed_model()
    set_field(workbook, "prior", "total", "103949100.00")   # 10,394.91 万元 typed in 元
    hints = [f for f in findings(workbook, ("warning",)) if f[0] in ("unit-hint", "magnitude-mismatch")]
    assert hints == [["magnitude-mismatch", "上年数", "B3"]]


def test_a_reason_the_spec_does_not_have_is_never_asked_for():
    workbook = seed_model()   # the central spec has no 三公 year-on-year reasons
    set_field(workbook, "prior", "sangong_total", "9.00")
    assert not [f for f in findings(workbook, ("warning",)) if f[0] == "reason-missing"]
