"""The figures as typed, frozen records (filled by figures.py, read by the templates as `fig`)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from .wording import Change, Completion, Part


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


class _Extended(Section):
    """A section whose spec- or form-defined part (`extra`) reads like its fields."""

    extra: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(name)


@dataclass(frozen=True)
class Trend(Section):
    """A total with its change on last year and the reason typed for it (overall, fiscal)."""

    total: Decimal
    change: Change | None
    reason: str | None


@dataclass(frozen=True)
class Structure(Section):
    """A total and its parts (income, expense)."""

    total: Decimal
    parts: list[Part]


@dataclass(frozen=True)
class Expense(Section):
    """The expense structure plus 项目支出 with its change on last year and the reason typed for it."""

    total: Decimal
    parts: list[Part]
    project: Decimal
    project_change: Change | None
    project_reason: str | None


@dataclass(frozen=True)
class BudgetItem(Section):
    """A 项 row with its 年初预算 (completion None when no budget was given), reason and use."""

    code: str
    path: list[str]
    actual: Decimal
    completion: Completion | None
    full_completion: Completion | None
    budget_given: bool
    reason: str | None
    use: str | None


@dataclass(frozen=True)
class General(Section):
    """一般公共预算财政拨款支出."""

    total: Decimal
    share_of_expense: Decimal | None
    change: Change | None
    reason: str | None
    classes: list[Part]
    completion: Completion
    full_completion: Completion | None
    budget_given: bool
    budget_reason: str | None
    details: list[BudgetItem]


@dataclass(frozen=True)
class Group(Section):
    """A 公开06表 footer total (人员经费, 公用经费) and the names of its non-zero 款."""

    amount: Decimal
    names: list[str]


@dataclass(frozen=True)
class Basic(_Extended):
    """基本支出: its total and one Group per footer total of the spec (extra: id → Group)."""

    total: Decimal
    extra: dict[str, Group]

    def as_dict(self) -> dict[str, Any]:
        """Return total, then the groups."""
        return {"total": self.total, **self.extra}


@dataclass(frozen=True)
class FundSection(Section):
    """政府性基金 / 国有资本经营 spending against its budget."""

    empty: bool
    actual: Decimal
    completion: Completion
    details: list[BudgetItem]
    full_completion: Completion | None
    budget_given: bool
    note: str | None
    income: Decimal | None


@dataclass(frozen=True)
class SangongItem(Section):
    """One “三公” item against its budget (car_buy, car_run)."""

    completion: Completion
    reason: str | None
    change: Change | None
    change_reason: str | None


@dataclass(frozen=True)
class SangongShare(Section):
    """A “三公” item that also has its share of the total and a change on last year (abroad, car, reception)."""

    completion: Completion
    reason: str | None
    share: Decimal | None
    change: Change | None
    change_reason: str | None


@dataclass(frozen=True)
class Sangong(Section):
    """“三公”经费."""

    completion: Completion
    reason: str | None
    change: Change | None
    change_reason: str | None
    none: bool
    abroad: SangongShare
    car: SangongShare
    car_buy: SangongItem
    car_run: SangongItem
    reception: SangongShare
    counts: dict[str, Any]
    car_run_use: str | None
    domestic_reception_use: str | None


@dataclass(frozen=True)
class Agency(Section):
    """机关运行经费."""

    amount: Decimal | None
    change: Change | None
    reason: str | None


@dataclass(frozen=True)
class Procurement(_Extended):
    """政府采购: the form's fields (extra) and the two shares."""

    extra: dict[str, Any]
    sme_share: Decimal | None
    small_share: Decimal | None

    def as_dict(self) -> dict[str, Any]:
        """Return the form's fields, then the shares."""
        return {**self.extra, "sme_share": self.sme_share, "small_share": self.small_share}


@dataclass(frozen=True)
class Project(Section):
    """One 绩效项目."""

    name: str
    fund: str
    score: Decimal | None
    grade: str
    completion: Completion
    achieved: str | None
    problems: str | None
    measures: str | None


@dataclass(frozen=True)
class FundProjects(Section):
    """The 绩效项目 of one kind of fund."""

    fund: str
    count: int
    executed: Decimal
    names: list[str]
    share: Decimal | None


@dataclass(frozen=True)
class Performance(Section):
    """预算绩效: projects, their funds, grades and the whole-organisation evaluation."""

    projects: list[Project]
    by_fund: list[FundProjects]
    general: FundProjects
    fund: FundProjects
    soe: FundProjects
    count: int
    completion: Completion
    grades: dict[str, int]
    grade_counts: list[dict[str, Any]]
    mean_score: Decimal | None
    mean_grade: str
    org: dict[str, Any]
    text: str | None
    org_completion: Completion
    org_grade: str | None


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


@dataclass(frozen=True)
class Figures(Section):
    """Every figure of the 情况说明, computed once from the workbook and handed to render."""

    overall: Trend
    income: Structure
    expense: Expense
    fiscal: Trend
    general: General
    basic: Basic
    fund: FundSection
    soe: FundSection
    sangong: Sangong
    agency: Agency
    procurement: Procurement
    assets: dict[str, Any]
    performance: Performance
    self_evals: list[SelfEvaluation]
