"""Every check fails at a known cell when one value of the seed sample is changed (the seed itself holds)."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from checks_support import findings, rename_row, seed_model, set_cell, set_field, set_record

from genreport.catalogue import catalogue_for
from genreport.model import Value, Workbook
from genreport.spec import load_spec

T01, T02, T03, T04, T05, T06, T07, T08, T09 = (f"公开0{i}表" for i in range(1, 10))


class Edit:
    """One cell edit, applicable to the model (fast) or to the plain data behind an .xlsx file."""

    def __init__(self, where: tuple[str, ...], value: Any) -> None:
        self.where, self.value = where, value

    def __call__(self, wb: Workbook) -> None:
        if len(self.where) == 3:
            set_cell(wb, *self.where, self.value)
        else:
            set_field(wb, *self.where, self.value)

    def apply_to_data(self, data: dict[str, Any]) -> None:
        """Make the same edit in write_workbook's plain data."""
        value = None if self.value is None else Decimal(str(self.value)) if isinstance(self.value, str) else self.value
        if len(self.where) == 2:
            data["forms"][self.where[0]][self.where[1]] = value
            return
        table, key, column = self.where
        rows = [r for r in data["tables"][table].get("rows", []) if r["code"] == key]
        target = rows[0] if rows else data["tables"][table]["lines"].setdefault(key, {})
        target[column] = value


def cell(table: str, key: str, column: str, value: Any) -> Edit:
    return Edit((table, key, column), value)


def field(input_id: str, field_id: str, value: Any) -> Edit:
    return Edit((input_id, field_id), value)


def record(list_id: str, index: int, field_id: str, value: Any) -> Callable[[Workbook], None]:
    return lambda wb: set_record(wb, list_id, index, field_id, value)


def both(*edits: Callable[[Workbook], None]) -> Callable[[Workbook], None]:
    def apply(wb: Workbook) -> None:
        for edit in edits:
            edit(wb)
    return apply


def recode(table: str, code: str, new: str, name: str | None = None) -> Callable[[Workbook], None]:
    def apply(wb: Workbook) -> None:
        row = wb.tables[table].row(code)
        row.code = new
        if name is not None:
            row.name = name
    return apply


def drop_total(table: str) -> Callable[[Workbook], None]:
    return lambda wb: wb.tables[table].lines.pop("total")


def drop_budget(index: int) -> Callable[[Workbook], None]:
    return lambda wb: wb.lists["budgets"].pop(index)


def duplicate_budget(index: int) -> Callable[[Workbook], None]:
    """Append a copy of a 年初预算 record on the next sheet row."""
    def apply(wb: Workbook) -> None:
        records = wb.lists["budgets"]
        row = 3 + len(records)
        records.append({k: Value(v.value, v.sheet, v.cell.rstrip("0123456789") + str(row))
                        for k, v in records[index].items()})
    return apply


def optional_prior_total(wb: Workbook) -> None:
    """Make 上年收支总计 optional in the spec (so the reader would not report it) and leave it blank."""
    spec = wb.spec
    fields = tuple(dataclasses.replace(f, required=False) if f.id == "total" else f for f in spec.input("prior").fields)
    inputs = tuple(dataclasses.replace(i, fields=fields) if i.id == "prior" else i for i in spec.inputs)
    wb.spec = dataclasses.replace(spec, inputs=inputs)
    set_field(wb, "prior", "total", None)


def clear_fund_column(wb: Workbook) -> None:
    for line, column in (("c229", "fund"), ("expense_sum", "fund"), ("expense_total", "fund"),
                         ("fund", "amount"), ("carry_in_fund", "amount")):
        set_cell(wb, "t04", line, column, None)


# (case id, edit, expected [code, sheet, cell], severity)
CASES = [
    # T — in-table identities
    ("t01-income-sum", cell("t01", "general", "amount", "5999.19"), ["t01-income-sum", T01, "C33"], "error"),
    ("t01-expense-sum", cell("t01", "c201", "amount", "1500.00"), ["t01-expense-sum", T01, "F33"], "error"),
    ("t01-income-total", cell("t01", "carry_in", "amount", "1700.00"), ["t01-income-total", T01, "C37"], "error"),
    ("t01-expense-total", cell("t01", "carry_out", "amount", "5.00"), ["t01-expense-total", T01, "F37"], "error"),
    ("t01-balance", cell("t01", "expense_total", "amount", "10000.00"), ["t01-balance", T01, "F37"], "error"),
    ("t02-row", cell("t02", "2010301", "fiscal", "400.00"), ["t02-row", T02, "C9"], "error"),
    ("t03-row", cell("t03", "2010301", "basic", "400.00"), ["t03-row", T03, "C9"], "error"),
    ("t04-row", cell("t04", "c201", "general", "1400.00"), ["t04-row", T04, "F7"], "error"),
    ("t04-income-sum", cell("t04", "general", "amount", "6000.00"), ["t04-income-sum", T04, "C33"], "error"),
    ("t04-income-sum-carry", cell("t04", "carry_in_fund", "amount", "1700.00"), ["t04-income-sum", T04, "C34"], "error"),
    ("t04-expense-sum", cell("t04", "c201", "total", "1500.00"), ["t04-expense-sum", T04, "F33"], "error"),
    ("t04-fund-balance", cell("t04", "carry_out", "fund", "10.00"), ["t04-fund-balance", T04, "H34"], "error"),
    ("t04-total", cell("t04", "income_total", "amount", "10000.00"), ["t04-total", T04, "C38"], "error"),
    ("t05-row", cell("t05", "2010301", "basic", "400.00"), ["t05-row", T05, "C10"], "error"),
    ("t06-personnel", cell("t06", "personnel_total", "amount", "1200.00"), ["t06-personnel", T06, "C34"], "error"),
    ("t06-public", cell("t06", "public_total", "amount", "80.00"), ["t06-public", T06, "I34"], "error"),
    ("t06-total", cell("t06", "personnel_total", "amount", "1200.00"), ["t06-total", T06, "C34"], "error"),
    ("t07-row", cell("t07", "2290402", "project", "4000.00"), ["t07-row", T07, "E10"], "error"),
    ("t07-carry", cell("t07", "2290402", "carry_out", "100.00"), ["t07-carry", T07, "H10"], "warning"),
    ("t08-row", cell("t08", "total", "total", "5.00"), ["t08-row", T08, "C7"], "error"),
    # H — hierarchy and codes
    ("h-kuan", cell("t05", "20103", "basic", "990.00"), ["h-kuan", T05, "D9"], "error"),
    ("h-lei", cell("t05", "201", "basic", "985.28"), ["h-lei", T05, "D8"], "error"),
    ("h-total", cell("t05", "total", "basic", "1300.00"), ["h-total", T05, "D7"], "error"),
    ("h-econ", cell("t06", "30101", "amount", "300.00"), ["h-econ", T06, "C6"], "error"),
    ("h-parent", recode("t05", "20103", "20104", "发展与改革事务"), ["h-parent", T05, "A10"], "error"),
    ("code-not-in-list", recode("t05", "2010350", "2010398"), ["code-not-in-list", T05, "A12"], "warning"),
    ("code-name-mismatch", lambda wb: rename_row(wb, "t05", "2010301", "行政运行经费"),
     ["code-name-mismatch", T05, "B10"], "warning"),
    ("code-name-inconsistent", both(recode("t02", "2010350", "2010398", "试点支出"),
                                    recode("t03", "2010350", "2010398", "试点业务支出")),
     ["code-name-inconsistent", T03, "B11"], "warning"),
    ("code-domain", recode("t05", "2010350", "3010350"), ["code-domain", T05, "A12"], "error"),
    # Z — blank and 0
    ("total-blank", cell("t05", "total", "basic", None), ["total-blank", T05, "D7"], "error"),
    ("total-missing", drop_total("t05"), ["total-missing", T05, "A7"], "error"),
    ("sangong-item-blank-info", cell("t09", "row", "budget_abroad", None), ["sangong-item-blank", T09, "B8"], "info"),
    ("sangong-item-blank-error", cell("t09", "row", "actual_reception", None), ["sangong-item-blank", T09, "L8"],
     "error"),
    # X — cross-table
    ("x-01-02-income", cell("t02", "total", "total", "8637.00"), ["x-01-02-income", T01, "C33"], "error"),
    ("x-01-02-sources", cell("t02", "total", "fiscal", "8600.00"), ["x-01-02-sources", T02, "D6"], "error"),
    ("x-01-02-sources-line", cell("t01", "superior", "amount", "5.00"), ["x-01-02-sources", T01, "C10"], "error"),
    ("x-01-03-expense", cell("t03", "total", "total", "10000.00"), ["x-01-03-expense", T01, "F33"], "error"),
    ("x-01-03-class", cell("t03", "206", "total", "4200.00"), ["x-01-03-class", T01, "F12"], "error"),
    ("x-01-04-fiscal", cell("t04", "general", "amount", "6000.00"), ["x-01-04-fiscal", T01, "C7"], "error"),
    ("x-02-04-fiscal", cell("t04", "income_sum", "amount", "8600.00"), ["x-02-04-fiscal", T02, "D6"], "error"),
    ("x-04-05-general", cell("t05", "206", "total", "4200.00"), ["x-04-05-general", T04, "G12"], "error"),
    ("x-04-07-fund", cell("t07", "total", "income", "2600.00"), ["x-04-07-fund", T04, "C8"], "error"),
    ("x-04-07-fund-class", cell("t07", "229", "total", "4300.00"), ["x-04-07-fund", T04, "H29"], "error"),
    ("x-04-08-soe", cell("t08", "total", "total", "5.00"), ["x-04-08-soe", T04, "I33"], "error"),
    ("x-04-07-empty", clear_fund_column, ["x-04-07-empty", T07, "C7"], "error"),
    ("x-04-08-empty", cell("t04", "c201", "soe", "5.00"), ["x-04-08-empty", T04, "I7"], "error"),
    ("x-05-06-basic", cell("t06", "public_total", "amount", "80.00"), ["x-05-06-basic", T05, "D7"], "error"),
    ("x-03-05-subset", cell("t05", "2010301", "total", "420.00"), ["x-03-05-subset", T05, "C10"], "warning"),
    ("x-06-agency", field("other", "agency_cost", "80.00"), ["x-06-agency", "机关运行经费", "B3"], "error"),
    ("x-06-agency-differs", field("other", "agency_cost", "60.00"), ["x-06-agency-differs", "机关运行经费", "B3"],
     "info"),
    # S — 三公
    ("s-car", cell("t09", "row", "actual_car", "3.00"), ["s-car", T09, "I8"], "error"),
    ("s-total", cell("t09", "row", "actual_total", "3.00"), ["s-total", T09, "G8"], "error"),
    ("s-nonneg", cell("t09", "row", "budget_abroad", "-1.00"), ["s-nonneg", T09, "B8"], "error"),
    ("s-zero", cell("t09", "row", "actual_total", "0.00"), ["s-zero", T09, "L8"], "error"),
    ("s-econ-abroad", cell("t06", "30212", "amount", "1.00"), ["s-econ-abroad", T06, "F17"], "warning"),
    ("s-econ-carbuy", cell("t06", "31013", "amount", "1.00"), ["s-econ-carbuy", T06, "I23"], "warning"),
    ("s-econ-carrun", cell("t06", "30231", "amount", "3.00"), ["s-econ-carrun", T06, "F30"], "warning"),
    ("s-econ-reception", cell("t06", "30217", "amount", "0.20"), ["s-econ-reception", T06, "F22"], "warning"),
    ("s-reception-split", field("sangong", "domestic_reception_amount", "0.20"), ["s-reception-split", T09, "L8"],
     "error"),
    # I — inputs the narrative needs
    ("prior-missing", optional_prior_total, ["prior-missing", "上年数", "B3"], "error"),
    ("prior-zero-base", field("prior", "total", "0.00"), ["prior-zero-base", "上年数", "B3"], "info"),
    ("budget-missing", drop_budget(0), ["budget-missing", T05, "A10"], "error"),
    ("budget-duplicate", duplicate_budget(0), ["budget-duplicate", "年初预算", "B16"], "error"),
    ("budget-unknown-item", record("budgets", 0, "code", "2010399"), ["budget-unknown-item", "年初预算", "B3"],
     "warning"),
    ("reason-missing-item", record("budgets", 0, "reason", None), ["reason-missing", "年初预算", "F3"], "warning"),
    ("budget-blank", record("budgets", 0, "budget", None), ["budget-blank", "年初预算", "D3"], "error"),
    ("budget-total-mismatch", field("budget_totals", "general_initial", "6656.15"),
     ["budget-total-mismatch", "预算总数", "B3"], "error"),
    ("reason-missing", field("reasons", "total_change", None), ["reason-missing", "情况说明文字", "B3"], "warning"),
    ("reason-missing-sangong", field("reasons", "reception_diff", None), ["reason-missing", "情况说明文字", "B12"],
     "warning"),
    ("use-missing", field("reasons", "fund_use", None), ["use-missing", "情况说明文字", "B7"], "warning"),
    ("sangong-counts", field("sangong", "domestic_groups", 0), ["sangong-counts", "三公经费补充", "B11"], "warning"),
    ("sangong-counts-reverse", field("sangong", "cars_bought", 1), ["sangong-counts", "三公经费补充", "B5"], "warning"),
    ("proc-sum", field("procurement", "goods", "5.00"), ["proc-sum", "政府采购", "B3"], "error"),
    ("proc-share", field("procurement", "small", "900.00"), ["proc-share", "政府采购", "B8"], "error"),
    ("vehicles-sum", field("assets", "other", 1), ["vehicles-sum", "国有资产", "B3"], "error"),
    ("cars-held", field("sangong", "cars_held", 3), ["cars-held", "三公经费补充", "B6"], "warning"),
    ("perf-org-sum", field("performance", "org_adjustment", "70.00"), ["perf-org-sum", "预算绩效", "B9"], "error"),
    ("perf-score-range", record("projects", 0, "score", "120"), ["perf-score-range", "绩效项目", "E3"], "error"),
]


@functools.lru_cache(maxsize=1)
def seed_findings() -> list[list[str]]:
    return findings(seed_model())


@pytest.mark.parametrize("case_id, edit, expected, severity", CASES, ids=[c[0] for c in CASES])
def test_check_fails_at_known_cell(case_id: str, edit: Callable[[Workbook], None], expected: list[str],
                                   severity: str) -> None:
    assert expected not in seed_findings(), "the seed itself must hold"
    workbook = seed_model()
    edit(workbook)
    assert expected in findings(workbook, (severity,))


THROUGH_XLSX = ["t01-income-sum", "t04-fund-balance", "h-econ", "x-01-03-class", "s-car", "total-blank",
                "x-06-agency", "s-econ-carrun", "proc-sum"]


@pytest.mark.parametrize("case", [c for c in CASES if c[0] in THROUGH_XLSX],
                         ids=[c[0] for c in CASES if c[0] in THROUGH_XLSX])
def test_same_finding_through_a_written_workbook(case, make_workbook) -> None:
    """The model edits above stand for real ones: the same edit in an .xlsx gives the same finding."""
    from genreport.api import check_workbook

    _, edit, expected, severity = case
    _, report = check_workbook(make_workbook(edit.apply_to_data))
    assert expected in [[i.code, i.sheet, i.cell] for i in report.issues if i.severity == severity]


def test_issue_names_expected_and_actual_in_chinese() -> None:
    workbook = seed_model()
    set_cell(workbook, "t05", "201", "basic", "985.28")
    from genreport.checks import run_checks

    issue = next(i for i in run_checks(workbook) if i.code == "h-lei")
    assert (issue.sheet, issue.cell, issue.severity) == (T05, "D8", "error")
    assert issue.message == "201 一般公共服务支出 基本支出 985.28 ≠ 下级科目合计 982.28（差 3.00 万元）"
    assert (issue.expected, issue.actual) == ("982.28", "985.28")


def test_blank_required_prior_is_left_to_the_reader() -> None:
    """A blank required prior figure is reported once, by the reader (required-missing), not again here."""
    workbook = seed_model()
    set_field(workbook, "prior", "total", None)
    assert [f for f in findings(workbook) if f[2] == "B3" and f[1] == "上年数"] == []


def test_blank_input_is_missing_not_zero() -> None:
    """0.00 in an input sheet takes part in the sums; a blank is missing and the identity is not judged."""
    zero, blank = seed_model(), seed_model()
    set_field(zero, "procurement", "goods", "0.00")
    set_field(blank, "procurement", "goods", None)
    assert ["proc-sum", "政府采购", "B3"] in findings(zero)
    assert [f for f in findings(blank) if f[0] == "proc-sum"] == []


def test_blank_table_cell_counts_as_zero_but_differs_from_zero_in_sangong() -> None:
    zero, blank = seed_model(), seed_model()
    set_cell(blank, "t09", "row", "budget_abroad", None)
    assert [f for f in findings(zero) if f[1] == T09] == []
    assert sorted(findings(blank)) == sorted(findings(zero) + [["sangong-item-blank", T09, "B8"]])


OTHER_OWNERS = {"self-eval-score-over-weight", "self-eval-weights", "self-eval-total-score", "self-eval-funds-total",
                "self-eval-funds-score", "self-eval-unknown-project", "self-eval-project-mismatch",
                "self-eval-orphan-indicator", "unknown-paragraph-key", "rounding-difference",
                # the Shanghai profile's inputs (procurement figures, section 十 counts): tests/test_inputs.py
                "proc-reserved", "proc-won", "proc-won-reserved", "perf-ratings", "perf-problems",
                # genreport absorb and the wording it absorbed: tests/test_absorb.py
                "stale-figure", "absorbed-edit", "absorb-table-edit", "absorb-not-carried",
                # found in a publication (PDF, Word), not in a workbook: tests/test_publication_*.py
                "publication-table-missing", "narrative-mismatch"}


def test_every_catalogued_check_has_a_failing_case() -> None:
    """Reader codes (group B) are tested with the reader; rounding-difference in test_checks_seed; template check's
    (group M) in test_template_*.py, the batch's (group W) in test_batch.py: none is a workbook check."""
    catalogue = catalogue_for(load_spec("standard"))
    ours = {e.code for e in catalogue.entries.values() if e.group not in "BMW" or e.code == "code-domain"}
    covered = {expected[0] for _, _, expected, _ in CASES}
    assert ours - OTHER_OWNERS - covered == set()


def test_every_finding_names_a_sheet_and_an_a1_cell() -> None:
    from genreport.checks import run_checks

    for _, edit, _, _ in CASES:
        workbook = seed_model()
        edit(workbook)
        for issue in run_checks(workbook):
            assert issue.sheet and re.fullmatch(r"[A-Z]{1,3}[1-9]\d*", issue.cell), issue
            assert re.search(r"[\u4e00-\u9fff]", issue.message), issue
