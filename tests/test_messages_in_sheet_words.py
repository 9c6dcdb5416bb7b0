"""Issue 23: every message names the item and the cell an accountant must look at, in the words of the sheet,
and no check asks for a reason the profile's template never prints. The Shanghai workbook is typed in by header."""

from __future__ import annotations

from decimal import Decimal

from genreport.api import check_workbook
from shanghai_support import shanghai_data, shanghai_workbook


def _messages(tmp_path, change) -> list[tuple[str, str, str]]:
    data = shanghai_data()
    change(data)
    _, report = check_workbook(shanghai_workbook(tmp_path / "shanghai.xlsx", data))
    return [(i.code, i.where, i.message) for i in report.issues]


def _sangong(data, **cells: str) -> None:
    data["tables"]["t09"]["lines"]["row"].update({k: Decimal(v) for k, v in cells.items()})


def test_sangong_messages_name_the_item(tmp_path):
    found = _messages(tmp_path, lambda d: _sangong(d, actual_abroad="9.00", budget_car_run="21.00"))
    messages = {(code, where): message for code, where, message in found}
    assert messages[("s-total", "公开09表!B8")].startswith(
        "财政拨款“三公”经费 合计 决算数 26.00 ≠ 因公出国（境）费 决算数 + 公务用车购置及运行维护费 小计 决算数 + "
        "公务接待费 决算数 27.00（差 1.00 万元）")
    assert messages[("s-car", "公开09表!E8")].startswith(
        "公务用车购置及运行维护费 小计 预算数 20.00 ≠ 公务用车购置费 预算数 + 公务用车运行维护费 预算数 21.00")


def test_a_sangong_cell_that_is_not_a_number_is_named_by_its_item(tmp_path):
    found = _messages(tmp_path, lambda d: d["tables"]["t09"]["lines"]["row"].update(actual_reception="三万"))
    assert [(where, m[:24]) for code, where, m in found if code == "not-a-number"] == [
        ("公开09表!L8", "“公务接待费 决算数”应填金额，但填的是“三万”")]


def test_prior_zero_base_names_the_side_not_a_line_zero(tmp_path):
    found = _messages(tmp_path, lambda d: d["forms"]["prior"].update(total=Decimal("0.00")))
    assert [(where, m) for code, where, m in found if code == "prior-zero-base"] == [
        ("上年数!B3", "公开01表 总计（收入）为 750.00 万元，但上年收支总计为 0.00 万元。同比只写增减额，不计算增长率。")]


def test_the_sme_bound_is_the_procurement_total(tmp_path):
    found = _messages(tmp_path, lambda d: d["forms"]["procurement"].update(sme_other_won=Decimal("150.00")))
    assert [(where, m) for code, where, m in found if code == "proc-won"] == [
        ("政府采购!B9", "中小企业中标或成交金额之和 240.00 超过 政府采购支出总额 200.00（多 40.00 万元）")]


def test_shanghai_asks_for_sangong_reasons_per_item_only(tmp_path):
    """The form gives a reason for each item's change (filled in the sample), none for the total's."""
    found = _messages(tmp_path, lambda d: d["forms"]["prior"].update(sangong_total=Decimal("20.00")))
    assert [m for code, _, m in found if code == "reason-missing"] == []
