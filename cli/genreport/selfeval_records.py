"""The typed, frozen records of the 绩效自评表 attachments (filled by selfeval.py, read by templates as `fig.self_evals`)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from .comparisons import Completion


class Section:
    """A frozen record of figures: templates read fields as attributes, fig["x"]["y"] works too."""

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.as_dict()

    def get(self, key: str, default: Any = None) -> Any:
        """Return the field called key, default when there is none (like a mapping)."""
        return self.as_dict().get(key, default)

    def as_dict(self) -> dict[str, Any]:
        """Return the fields in order (the variable reference walks this)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class FundRow(Section):
    """One funds row of a 绩效自评表 (年度资金总额, 财政拨款…)."""

    label: str
    initial: Decimal | None
    full: Decimal | None
    executed: Decimal | None
    completion: Completion


@dataclass(frozen=True)
class Indicator(Section):
    """One 绩效自评指标 row, as typed."""

    level1: str | None
    level2: str | None
    level3: str | None
    target: str | None
    actual: str | None
    weight: Decimal | None
    score: Decimal | None
    deviation: str | None


@dataclass(frozen=True)
class SelfEvaluation(Section):
    """One 项目支出绩效自评表 with its 自评报告 texts (the attachments)."""

    project: str
    department: str
    implementer: str
    funds: list[FundRow]
    completion: Completion
    funds_weight: Decimal
    funds_score: Decimal | None
    management: list[Indicator]
    management_weight: Decimal
    indicators: list[Indicator]
    groups: list[dict[str, Any]]
    weight_total: Decimal
    computed_score: Decimal
    total_score: Decimal
    grade: str
    goal: str
    achieved: str
    date: str
    report: bool
    overview: str
    problems: str | None
    advice: list[dict[str, str | None]]

