"""Comparisons the narrative words: year-on-year changes, budget completion, shares (pure, Decimal)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .amounts import quantize, ratio_pct


@dataclass(frozen=True)
class Change:
    """Current vs prior year; the template words it by direction (|sign); rate is None on a zero base."""

    current: Decimal
    prior: Decimal

    @property
    def delta(self) -> Decimal:
        """Return the absolute change, rounded to 2 decimals."""
        return abs(quantize(self.current) - quantize(self.prior))

    @property
    def direction(self) -> str:
        """Return "up", "down" or "flat" (decided on the rounded figures)."""
        diff = quantize(self.current) - quantize(self.prior)
        return "up" if diff > 0 else "down" if diff < 0 else "flat"

    @property
    def flat(self) -> bool:
        """Return True when both years print the same figure (write 持平, no percentage)."""
        return self.direction == "flat"

    @property
    def zero_base(self) -> bool:
        """Return True when the prior year is 0: no growth percentage can be printed."""
        return quantize(self.prior) == 0

    @property
    def rate(self) -> Decimal | None:
        """Return the growth rate in percent, None on a zero base."""
        return ratio_pct(self.delta, quantize(self.prior))


@dataclass(frozen=True)
class Completion:
    """决算 against a budget. rate is None when the budget is 0 (the template then prints no completion rate)."""

    actual: Decimal
    budget: Decimal

    @property
    def rate(self) -> Decimal | None:
        """Return actual / budget in percent, None when the budget is 0."""
        return ratio_pct(quantize(self.actual), quantize(self.budget))

    @property
    def zero_budget(self) -> bool:
        """Return True when the budget is 0."""
        return quantize(self.budget) == 0

    @property
    def direction(self) -> str:
        """Return "up", "down" or "flat": the rounded 决算 above, below or equal to the 预算."""
        diff = quantize(self.actual) - quantize(self.budget)
        return "up" if diff > 0 else "down" if diff < 0 else "flat"

    @property
    def equal(self) -> bool:
        """Return True when 决算 equals 预算 (write 无差异, no reason)."""
        return self.direction == "flat"


@dataclass(frozen=True)
class Part:
    """A named amount and its share of a fixed denominator."""

    name: str
    amount: Decimal
    share: Decimal | None


def parts_of(named: list[tuple[str, Decimal]], whole: Decimal, keep_zero: bool = False) -> list[Part]:
    """Return the named amounts with their shares of whole, dropping zero amounts unless keep_zero."""
    return [
        Part(name, amount, ratio_pct(quantize(amount), quantize(whole)))
        for name, amount in named
        if keep_zero or quantize(amount) != 0
    ]


def grade(score: Decimal, scale: tuple[tuple[str, int], ...]) -> str:
    """Return the grade of a 百分制 score on scale ((grade, lowest score), highest first; a bound is included)."""
    return next((name for name, low in scale if score >= low), scale[-1][0])
