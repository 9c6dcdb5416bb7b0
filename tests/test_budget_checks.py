"""Budget checks (checks-budget.yaml): the sample is clean; a changed amount in any budget table is caught near it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from budget_support import BUDGET_SAMPLE, budget_workbook

from genreport.api import check_workbook
from genreport.checks import run_checks
from genreport.tablecells import column_index
from genreport.issues import ERROR
from genreport.model import Value

TABLES = ("t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08", "t09")


def _cells(table_id: str) -> list[tuple[dict[str, Value], str]]:
    """Return (owner dict, key) for every filled amount cell of a table, plus its total when it is empty."""
    table = budget_workbook().tables[table_id]
    owners = list(table.lines.values()) + [row.cells for row in table.rows]
    found = [(cells, key) for cells in owners for key, value in cells.items() if not value.blank]
    return found or [(table.lines["total"], "total")]


def _split(cell: str) -> tuple[int, int]:
    letters = "".join(ch for ch in cell if ch.isalpha())
    return column_index(letters), int(cell[len(letters):])


def _errors_after_change(cells: dict[str, Value], key: str, delta: Decimal) -> tuple[Value, list]:
    original = cells[key]
    cells[key] = Value(original.amount + delta, original.sheet, original.cell)
    try:
        return original, [i for i in run_checks(budget_workbook()) if i.severity == ERROR]
    finally:
        cells[key] = original


def test_sample_has_no_error_or_warning():
    _, report = check_workbook(BUDGET_SAMPLE)
    assert report.errors == [] and report.warnings == [], report.to_text()
    assert {i.code for i in report.infos} == {"sangong-item-blank"}  # the seed leaves 三公 items blank


@pytest.mark.parametrize("table_id", TABLES)
def test_changed_amount_is_an_error_at_or_beside_its_cell(table_id):
    """Every filled amount (an empty table: its 合计) changed by 1.00 gives an error on its sheet, at the cell
    itself or in its row or column (the row's 合计, the parent 科目's cell); totals exactly at the cell."""
    exact = 0
    cells = _cells(table_id)
    for owner, key in cells:
        original, errors = _errors_after_change(owner, key, Decimal("1.00"))
        here = [e for e in errors if e.sheet == original.sheet]
        assert here, f"{original.sheet}!{original.cell} changed but no error on its sheet"
        col, row = _split(original.cell)
        assert any(e.cell == original.cell or _split(e.cell)[0] == col or _split(e.cell)[1] == row
                   for e in here if e.cell), f"{original.sheet}!{original.cell}: {[(e.cell, e.code) for e in here]}"
        exact += any(e.cell == original.cell for e in here)
    assert exact >= len(cells) / 3


@pytest.mark.parametrize(("table_id", "line", "column", "code"), [
    ("t01", "income_total", "amount", "b01-income-total"),
    ("t01", "expense_total", "amount", "b01-expense-total"),
    ("t04", "income_total", "amount", "b04-income-total"),
    ("t04", "expense_total", "general", "b04-expense-total"),
    ("t09", "row", "total", "s-total"),
    ("t09", "row", "agency", "bx-agency"),
])
def test_changed_total_names_its_rule(table_id, line, column, code):
    table = budget_workbook().tables[table_id]
    original, errors = _errors_after_change(table.lines[line], column, Decimal("100000.00"))
    assert code in {e.code for e in errors if e.cell == original.cell}


def test_item_of_the_function_table_needs_its_use():
    """The 项 list of the narrative comes from the tables: a 项 without its “主要用于” row is reported at its code."""
    workbook = budget_workbook()
    uses = workbook.lists["uses"]
    removed = uses.pop(6)  # 2080506 机关事业单位职业年金缴费支出 (the seed's slipped item 7)
    try:
        found = [i for i in run_checks(workbook) if i.code == "b-use-missing"]
    finally:
        uses.insert(6, removed)
    assert {(i.sheet, i.message.split()[0]) for i in found} == {("预算05表", "2080506")}


def test_use_row_for_a_code_not_in_the_tables_is_unused():
    workbook = budget_workbook()
    extra = {"code": Value("2080507", "主要用途", "A14"), "use": Value("x", "主要用途", "C14")}
    workbook.lists["uses"].append(extra)
    try:
        found = [i for i in run_checks(workbook) if i.code == "b-use-unknown"]
    finally:
        workbook.lists["uses"].remove(extra)
    assert [(i.sheet, i.cell) for i in found] == [("主要用途", "A14")]


def test_units_differ_between_tables_and_are_compared_in_one_unit():
    """公务接待费 9,500.00 元 (economic table) ties to 0.95 万元 (“三公” table, ±50 元 of rounding): 9,540 元 is a
    尾差, 9,600 元 exceeds it."""
    row = budget_workbook().tables["t08"].row("30217")
    assert not [e for e in run_checks(budget_workbook()) if e.check == "bx-08-sangong" or e.code == "bx-08-sangong"]
    found = {}
    for delta in ("40", "100"):
        original = row.cells["total"]
        row.cells["total"] = Value(original.amount + Decimal(delta), original.sheet, original.cell)
        try:
            found[delta] = [i for i in run_checks(budget_workbook()) if "bx-08-sangong" in (i.code, i.check)]
        finally:
            row.cells["total"] = original
    assert [i.code for i in found["40"]] == ["rounding-difference"]
    assert [i.code for i in found["100"]] == ["bx-08-sangong"]
    assert "9,600.00" in found["100"][0].message and "（多 100.00 元）" in found["100"][0].message


def test_every_budget_rule_resolves_and_is_catalogued():
    """A typo in checks-budget.yaml would make a rule skip silently: on the sample every expansion resolves."""
    from genreport.catalogue import catalogue_for
    from genreport.expression import expand
    from genreport.checks.identities import row_identities, rule_identities

    workbook = budget_workbook()
    catalogue = catalogue_for(workbook.spec)
    assert catalogue.section("budgets") is None  # the 决算 rules of checks.yaml are not inherited
    for rule in catalogue.section("identities"):
        expected = len(expand(rule["expr"], rule.get("each"), workbook))
        assert len(list(rule_identities(rule, workbook))) == expected, rule["expr"]
    for rule in catalogue.section("rows"):
        if rule["table"] not in ("t06", "t07"):  # the two empty tables
            assert list(row_identities(rule, workbook)), rule["expr"]
    codes = [r["code"] for s in ("identities", "rows", "implications", "empty_pairs", "coverage")
             for r in catalogue.section(s, [])]
    assert set(codes) - set(catalogue.entries) == set()
