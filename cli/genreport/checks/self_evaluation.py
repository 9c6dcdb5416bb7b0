"""I-SELF-EVAL: 项目支出绩效自评表 — scores, weights, funds totals, and agreement with 绩效项目."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..amounts import envelope, quantize
from ..issues import ERROR, INFO, WARNING, Issue, as_text
from ..model import Value, Workbook
from ..selfeval import indicators_by_project
from . import register

ZERO = Decimal(0)
HUNDRED = Decimal(100)
FUNDS = ("fiscal", "special", "other")
COLUMNS = {"initial": "年初预算数", "full": "全年预算数", "executed": "全年执行数"}


def _value(record: dict[str, Value], key: str) -> Value:
    return record.get(key) or Value(None)


def _amount(record: dict[str, Value], key: str) -> Decimal:
    return _value(record, key).amount


@register("self-evaluation")
def check_self_evaluations(workbook: Workbook) -> Iterator[Issue]:
    """Yield the problems of every 绩效自评表 row and its 绩效自评指标 rows."""
    indicators = indicators_by_project(workbook)
    projects = {r["name"].value: r for r in workbook.lists.get("projects", []) if r.get("name") and r["name"].value}
    evaluated = set()
    for record in workbook.lists.get("self_evals", []):
        name = _value(record, "project").value
        if not name:
            continue
        evaluated.add(name)
        rows = indicators.get(name, [])
        yield from _score_over_weight(rows)
        yield from _weights(record, rows, name)
        yield from _total_score(record, rows, name)
        yield from _fund_totals(record, name)
        yield from _funds_score(record, name)
        yield from _against_project(record, projects.get(name), name)
    for name, rows in indicators.items():
        if name not in evaluated:
            at = _value(rows[0], "project")
            yield Issue("self-eval-orphan-indicator", ERROR,
                        f"绩效自评指标中的项目“{name}”在“绩效自评表”中没有对应行，请补充该项目或修正项目名称。",
                        at.sheet, at.cell, actual=name)


def _score_over_weight(rows: list[dict[str, Value]]) -> Iterator[Issue]:
    for row in rows:
        score, weight = _value(row, "score"), _value(row, "weight")
        if score.value is not None and weight.value is not None and score.value > weight.value:
            yield Issue("self-eval-score-over-weight", ERROR,
                        f"指标“{_value(row, 'level3').value}”得分 {score.value} 超过分值 {weight.value}。",
                        score.sheet, score.cell, expected=f"≤ {weight.value}", actual=str(score.value))


def _weights(record: dict[str, Value], rows: list[dict[str, Value]], name: str) -> Iterator[Issue]:
    total = _amount(record, "funds_weight") + sum((_amount(r, "weight") for r in rows), ZERO)
    if total != HUNDRED:
        at = _value(record, "funds_weight")
        yield Issue("self-eval-weights", ERROR,
                    f"项目“{name}”的分值合计为 {total}，应为 100（预算执行分值加全部指标分值）。",
                    at.sheet, at.cell, expected="100", actual=str(total))


def _total_score(record: dict[str, Value], rows: list[dict[str, Value]], name: str) -> Iterator[Issue]:
    stated = _value(record, "total_score")
    if stated.value is None:
        return
    scores = [_amount(record, "funds_score")] + [_amount(r, "score") for r in rows]
    computed = sum(scores, ZERO)
    diff = abs(quantize(stated.value) - quantize(computed))
    if diff == 0:
        return
    severity = INFO if diff <= envelope(len(scores) + 1) else ERROR
    yield Issue("self-eval-total-score", severity,
                f"项目“{name}”总分 {stated.value} ≠ 各项得分之和 {quantize(computed)}（差 {diff}）。",
                stated.sheet, stated.cell, expected=as_text(quantize(computed)), actual=as_text(stated.value))


def _fund_totals(record: dict[str, Value], name: str) -> Iterator[Issue]:
    for column, title in COLUMNS.items():
        total = _value(record, f"total_{column}")
        parts = sum((_amount(record, f"{fund}_{column}") for fund in FUNDS), ZERO)
        if total.value is None:
            continue
        diff = abs(quantize(total.value) - quantize(parts))
        if diff > envelope(len(FUNDS) + 1):
            yield Issue("self-eval-funds-total", ERROR,
                        f"项目“{name}”年度资金总额{title} {total.value:,.2f} ≠ 财政拨款、财政专户管理资金、其他资金之和 "
                        f"{parts:,.2f}（差 {diff:,.2f} 万元）。",
                        total.sheet, total.cell, expected=as_text(parts), actual=as_text(total.value))


def _funds_score(record: dict[str, Value], name: str) -> Iterator[Issue]:
    score, weight = _value(record, "funds_score"), _value(record, "funds_weight")
    full, executed = _amount(record, "total_full"), _amount(record, "total_executed")
    if score.value is None or weight.value is None or full == 0:
        return
    expected = quantize(weight.value * min(executed / full, Decimal(1)))
    if abs(expected - quantize(score.value)) > Decimal("0.01"):
        yield Issue("self-eval-funds-score", WARNING,
                    f"项目“{name}”预算执行得分 {score.value} 与 分值×执行率 = {expected} 不一致，请核对。",
                    score.sheet, score.cell, expected=as_text(expected), actual=as_text(score.value))


def _against_project(record: dict[str, Value], project: dict[str, Value] | None, name: str) -> Iterator[Issue]:
    if project is None:
        at = _value(record, "project")
        yield Issue("self-eval-unknown-project", ERROR,
                    f"绩效自评表的项目“{name}”不在“绩效项目”表中，情况说明第十三部分与附件将不一致。",
                    at.sheet, at.cell, actual=name)
        return
    for ours, theirs, title in (("total_full", "budget", "全年预算数"), ("total_executed", "executed", "全年执行数"),
                                ("total_score", "score", "自评得分")):
        mine, other = _value(record, ours), _value(project, theirs)
        if mine.value is not None and other.value is not None and quantize(mine.value) != quantize(other.value):
            yield Issue("self-eval-project-mismatch", ERROR,
                        f"项目“{name}”自评表{title} {mine.value} 与“绩效项目”表的 {other.value}（{other.sheet}!{other.cell}）不一致。",
                        mine.sheet, mine.cell, expected=as_text(other.value), actual=as_text(mine.value))
