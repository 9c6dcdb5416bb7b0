"""I-SELF-EVAL: 项目支出绩效自评表 — scores, weights, funds totals, and agreement with 绩效项目."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..amounts import envelope, quantize
from ..issues import Catalogue, Issue, as_text
from ..model import Value, Workbook
from ..selfeval import indicators_by_project
from . import register
from ..catalogue import catalogue_for

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
    catalogue = catalogue_for(workbook.spec)
    indicators = indicators_by_project(workbook)
    projects = {r["name"].value: r for r in workbook.lists.get("projects", []) if r.get("name") and r["name"].value}
    evaluated = set()
    for record in workbook.lists.get("self_evals", []):
        name = _value(record, "project").value
        if not name:
            continue
        evaluated.add(name)
        rows = indicators.get(name, [])
        yield from _score_over_weight(catalogue, rows)
        yield from _weights(catalogue, record, rows, name)
        yield from _total_score(catalogue, record, rows, name)
        yield from _fund_totals(catalogue, record, name)
        yield from _funds_score(catalogue, record, name)
        yield from _against_project(catalogue, record, projects.get(name), name)
    for name, rows in indicators.items():
        if name not in evaluated:
            yield catalogue.issue("self-eval-orphan-indicator", _value(rows[0], "project"), actual=name)


def _score_over_weight(catalogue: Catalogue, rows: list[dict[str, Value]]) -> Iterator[Issue]:
    for row in rows:
        score, weight = _value(row, "score"), _value(row, "weight")
        if score.value is not None and weight.value is not None and score.value > weight.value:
            yield catalogue.issue("self-eval-score-over-weight", score, indicator=_value(row, "level3").value,
                                  weight=weight.value, expected=f"≤ {weight.value}", actual=str(score.value))


def _weights(catalogue: Catalogue, record: dict[str, Value], rows: list[dict[str, Value]],
             name: str) -> Iterator[Issue]:
    total = _amount(record, "funds_weight") + sum((_amount(r, "weight") for r in rows), ZERO)
    if total != HUNDRED:
        yield catalogue.issue("self-eval-weights", _value(record, "funds_weight"), project=name, expected="100",
                              actual=str(total))


def _total_score(catalogue: Catalogue, record: dict[str, Value], rows: list[dict[str, Value]],
                 name: str) -> Iterator[Issue]:
    stated = _value(record, "total_score")
    if stated.value is None:
        return
    scores = [_amount(record, "funds_score")] + [_amount(r, "score") for r in rows]
    computed = sum(scores, ZERO)
    diff = abs(quantize(stated.value) - quantize(computed))
    if diff == 0:
        return
    rounding = "rounding-difference" if diff <= envelope(len(scores) + 1) else ""
    yield catalogue.issue("self-eval-total-score", stated, severity_of=rounding, project=name, stated=stated.value,
                          computed=quantize(computed), diff=diff, expected=as_text(quantize(computed)),
                          actual=as_text(stated.value))


def _fund_totals(catalogue: Catalogue, record: dict[str, Value], name: str) -> Iterator[Issue]:
    for column, title in COLUMNS.items():
        total = _value(record, f"total_{column}")
        parts = sum((_amount(record, f"{fund}_{column}") for fund in FUNDS), ZERO)
        if total.value is None:
            continue
        diff = abs(quantize(total.value) - quantize(parts))
        if diff > envelope(len(FUNDS) + 1):
            yield catalogue.issue("self-eval-funds-total", total, project=name, column=title, total=total.value,
                                  parts=parts, diff=diff, expected=as_text(parts), actual=as_text(total.value))


def _funds_score(catalogue: Catalogue, record: dict[str, Value], name: str) -> Iterator[Issue]:
    score, weight = _value(record, "funds_score"), _value(record, "funds_weight")
    full, executed = _amount(record, "total_full"), _amount(record, "total_executed")
    if score.value is None or weight.value is None or full == 0:
        return
    expected = quantize(weight.value * min(executed / full, Decimal(1)))
    if abs(expected - quantize(score.value)) > Decimal("0.01"):
        yield catalogue.issue("self-eval-funds-score", score, project=name, score=score.value, computed=expected,
                              expected=as_text(expected), actual=as_text(score.value))


def _against_project(catalogue: Catalogue, record: dict[str, Value], project: dict[str, Value] | None,
                     name: str) -> Iterator[Issue]:
    if project is None:
        yield catalogue.issue("self-eval-unknown-project", _value(record, "project"), actual=name)
        return
    for ours, theirs, title in (("total_full", "budget", "全年预算数"), ("total_executed", "executed", "全年执行数"),
                                ("total_score", "score", "自评得分")):
        mine, other = _value(record, ours), _value(project, theirs)
        if mine.value is not None and other.value is not None and quantize(mine.value) != quantize(other.value):
            yield catalogue.issue("self-eval-project-mismatch", mine, project=name, column=title, mine=mine.value,
                                  other=other.value, other_at=other.at, expected=as_text(other.value),
                                  actual=as_text(mine.value))
