"""项目支出绩效自评表 and 自评报告: the attachment figures of each project (pure functions, Decimal)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .model import Value, Workbook
from .selfeval_records import FundRow, Indicator, SelfEvaluation
from .comparisons import Completion, grade

ZERO = Decimal(0)
FUND_ROWS = (("total", "年度资金总额"), ("fiscal", "财政拨款"), ("special", "财政专户管理资金"), ("other", "其他资金"))
#: The 建议 fields of a 绩效自评表 row, in the report's order (their titles are in the template's macro file).
ADVICE = ("advice_decision", "advice_budget", "advice_funds", "advice_management", "advice_other")


def _plain(record: dict[str, Value], key: str) -> Any:
    value = record.get(key)
    return value.value if value is not None else None


def indicators_by_project(workbook: Workbook) -> dict[str, list[dict[str, Value]]]:
    """Return project name → its 绩效自评指标 records, in sheet order."""
    grouped: dict[str, list[dict[str, Value]]] = {}
    for record in workbook.lists.get("indicators", []):
        name = _plain(record, "project")
        if name:
            grouped.setdefault(name, []).append(record)
    return grouped


def self_evaluations(workbook: Workbook, scale: tuple[tuple[str, int], ...]) -> list[SelfEvaluation]:
    """Return one record per 绩效自评表 row: funds table, management rows, indicators, scores, report texts.

    The total score is graded on scale (the profile's conventions.grades).
    """
    indicators = indicators_by_project(workbook)
    return [_evaluation(record, indicators.get(_plain(record, "project"), []), scale)
            for record in workbook.lists.get("self_evals", []) if _plain(record, "project")]


def _evaluation(record: dict[str, Value], rows: list[dict[str, Value]],
                scale: tuple[tuple[str, int], ...]) -> SelfEvaluation:
    funds = [_fund_row(record, key, label) for key, label in FUND_ROWS]
    management = [_indicator(r) for r in rows if _plain(r, "category") == "资金管理"]
    indicators = [_indicator(r) for r in rows if _plain(r, "category") != "资金管理"]
    weight = _plain(record, "funds_weight") or ZERO
    scores = [_plain(record, "funds_score") or ZERO] + [i.score or ZERO for i in management + indicators]
    computed = sum(scores, ZERO)
    stated = _plain(record, "total_score")
    total = stated if stated is not None else computed
    return SelfEvaluation(
        project=_plain(record, "project"),
        department=_plain(record, "department") or "",
        implementer=_plain(record, "implementer") or "",
        funds=funds,
        completion=funds[0].completion,
        funds_weight=weight,
        funds_score=_plain(record, "funds_score"),
        management=management,
        management_weight=sum((i.weight or ZERO for i in management), ZERO),
        indicators=indicators,
        groups=_groups(indicators),
        weight_total=weight + sum((i.weight or ZERO for i in management + indicators), ZERO),
        computed_score=computed,
        total_score=total,
        grade=grade(total, scale),
        goal=_plain(record, "goal") or "",
        achieved=_plain(record, "achieved") or "",
        date=_plain(record, "eval_date") or "",
        report=_plain(record, "report") == "是",
        overview=_plain(record, "overview") or "",
        problems=_plain(record, "problems"),
        advice=[{"key": key, "text": _plain(record, key)} for key in ADVICE],
    )


def _fund_row(record: dict[str, Value], key: str, label: str) -> FundRow:
    initial, full, executed = (_plain(record, f"{key}_{c}") for c in ("initial", "full", "executed"))
    return FundRow(label, initial, full, executed, Completion(executed or ZERO, full or ZERO))


def _indicator(record: dict[str, Value]) -> Indicator:
    return Indicator(*(_plain(record, key) for key in
                       ("level1", "level2", "level3", "target", "actual", "weight", "score", "deviation")))


def _groups(indicators: list[Indicator]) -> list[dict[str, Any]]:
    """Return indicators grouped 一级 → 二级, for the report's numbered 指标分析."""
    groups: list[dict[str, Any]] = []
    for item in indicators:
        level1 = item.level1 or (groups[-1]["name"] if groups else "绩效指标")
        if not groups or groups[-1]["name"] != level1:
            groups.append({"name": level1, "subgroups": []})
        subgroups = groups[-1]["subgroups"]
        level2 = item.level2 or (subgroups[-1]["name"] if subgroups else level1)
        if not subgroups or subgroups[-1]["name"] != level2:
            subgroups.append({"name": level2, "entries": []})
        subgroups[-1]["entries"].append(item)
    return groups
