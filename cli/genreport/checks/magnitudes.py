"""Plausibility of the scale: a prior-year or budget figure a thousand times this year's is probably in 元."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..amounts import format_money
from ..issues import Issue
from ..model import Workbook
from . import register
from ..catalogue import Catalogue, catalogue_for
from .identities import build_identity
from ..operands import Operand

CODE = "magnitude-mismatch"


@register("magnitudes")
def check_magnitudes(workbook: Workbook) -> Iterator[Issue]:
    """Yield a warning, at the other figure's cell, for each pair of `magnitudes:` far apart in scale."""
    catalogue = catalogue_for(workbook.spec)
    rules = catalogue.section("magnitudes", {}) or {}
    ratio = Decimal(str(rules.get("ratio", 1000)))
    for pair in rules.get("pairs", []):
        identity = build_identity(CODE, f"{pair['this']} = {pair['other']}", workbook)
        if identity is not None and len(identity.lhs) == 1 and len(identity.rhs) == 1:
            found = _compare(identity.lhs[0], identity.rhs[0], ratio, catalogue)
            if found is not None:
                yield found


def _compare(this: Operand, other: Operand, ratio: Decimal, catalogue: Catalogue) -> Issue | None:
    if this.blank or other.blank or this.number == 0 or other.number == 0:
        return None
    times = abs(other.number) / abs(this.number)
    if 1 / ratio < times < ratio:
        return None
    where = f"{this.value.sheet}!{this.value.cell}" if this.value.cell else this.value.sheet
    if times >= ratio:
        how = f"是{this.label}（{where}，{_money(this)} 万元）的约 {times:,.0f} 倍，可能按元填写了，请换算成万元（除以 10000）"
    else:
        how = f"只有{this.label}（{where}，{_money(this)} 万元）的约 {1 / times:,.0f} 分之一，请确认两者的单位都是万元"
    return catalogue.issue(CODE, other.value, f"{other.label} {_money(other)} 万元{how}。",
                           actual=_money(other), check="magnitudes")


def _money(operand: Any) -> str:
    return format_money(operand.number)
