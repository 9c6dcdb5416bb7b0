"""Compare the two sides of an identity within the 尾差 envelope and word the finding in Chinese."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ..amounts import quantize
from ..issues import Issue
from ..model import Value
from ..catalogue import Catalogue
from ..operands import COUNT, MONEY, Operand, unit_of

ROUNDING = "rounding-difference"
TOTAL_BLANK = "total-blank"
MAX_LISTED_TERMS = 4


@dataclass(frozen=True)
class Identity:
    """lhs OP rhs over resolved operands; the issue is placed on the first lhs cell."""

    code: str
    op: str
    lhs: list[Operand]
    rhs: list[Operand]
    rhs_label: str = ""
    lhs_label: str = ""
    totals: bool = field(default=True)
    """True when lhs is the printed total of rhs (a blank lhs then reads as 合计未填)."""

    @property
    def left(self) -> Decimal:
        """Return the signed sum of the left side (blank as 0)."""
        return sum((o.sign * o.number for o in self.lhs), Decimal(0))

    @property
    def right(self) -> Decimal:
        """Return the signed sum of the right side (blank as 0)."""
        return sum((o.sign * o.number for o in self.rhs), Decimal(0))

    @property
    def envelope(self) -> Decimal:
        """Return the 尾差 tolerance: the half-units of every printed amount taking part."""
        return sum((o.half_unit for o in self.lhs + self.rhs), Decimal(0))

    @property
    def anchor(self) -> Value:
        """Return the cell to report: the first lhs cell, else the first rhs cell that has a position."""
        for operand in self.lhs + self.rhs:
            if operand.value.cell:
                return operand.value
        return self.lhs[0].value


def evaluate(identity: Identity, catalogue: Catalogue) -> Issue | None:
    """Return the finding of one identity: None when it holds, info within the envelope, else the rule's severity.

    An identity with a blank input-sheet field is skipped: the field is missing, not 0, and the
    missing field is reported where it is read. So is one with a cell the reader rejected (one cause, one finding).
    """
    if any(o.missing or o.bad for o in identity.lhs + identity.rhs):
        return None
    diff = identity.left - identity.right
    excess = {"=": abs(diff), "<=": diff, ">=": -diff}[identity.op]
    if excess <= 0:
        return None
    words = _Words(identity)
    at = identity.anchor
    if excess <= identity.envelope:
        return catalogue.issue(ROUNDING, at, words.rounding(abs(diff)), words.right_text, words.left_text,
                               check=identity.code)
    if identity.op == "=" and _blank_total(identity):
        return catalogue.issue(TOTAL_BLANK, at, words.blank_total(), words.right_text, "空白",
                               severity_of=identity.code, check=identity.code)
    return catalogue.issue(identity.code, at, words.broken(excess), words.right_text, words.left_text,
                           check=identity.code)


def iter_findings(identities: Iterable[Identity], catalogue: Catalogue) -> Iterator[Issue]:
    """Yield the finding of every identity that does not hold exactly."""
    for identity in identities:
        issue = evaluate(identity, catalogue)
        if issue is not None:
            yield issue


def _blank_total(identity: Identity) -> bool:
    return identity.totals and len(identity.lhs) == 1 and identity.lhs[0].blank and identity.right > 0


class _Words:
    """The Chinese wording of one identity's finding."""

    def __init__(self, identity: Identity) -> None:
        self.identity = identity
        sheet = identity.anchor.sheet
        self.counts = all(o.kind in (COUNT, "const") for o in identity.lhs + identity.rhs)
        self.left_label = identity.lhs_label or _side_label(identity.lhs, sheet)
        self.right_label = identity.rhs_label or _side_label(identity.rhs, sheet)
        self.left_text = self.number(identity.left)
        self.right_text = self.number(identity.right)

    def number(self, value: Decimal) -> str:
        """Return 1,488.41 (counts: 12)."""
        if self.counts:
            return f"{value:,.0f}"
        return f"{quantize(value):,.2f}"

    @property
    def unit(self) -> str:
        """Return " 万元" (the amounts' unit), or "" when only counts take part."""
        return "" if self.counts else f" {unit_of(self.identity.lhs + self.identity.rhs)}"

    def broken(self, excess: Decimal) -> str:
        """Return the sentence of a broken identity."""
        left = f"{self.left_label} {self.left_text}"
        constant = all(o.kind == "const" for o in self.identity.rhs)
        right = self.right_text if constant else f"{self.right_label} {self.right_text}"
        amount = f"{self.number(excess)}{self.unit}"
        if self.identity.op == "<=":
            return f"{left} 超过 {right}（多 {amount}）"
        if self.identity.op == ">=":
            return f"{left} 小于 {right}（少 {amount}）"
        return f"{left} ≠ {right}（差 {amount}）"

    def rounding(self, diff: Decimal) -> str:
        """Return the 尾差 sentence."""
        return (f"{self.left_label} {self.left_text} 与 {self.right_label} {self.right_text} "
                f"相差{self.number(diff)}{self.unit.strip()}，在四舍五入范围内，可能为取整误差")

    def blank_total(self) -> str:
        """Return the 合计未填 sentence."""
        return f"{self.left_label}未填写，但{self.right_label}为 {self.right_text}{self.unit}，请填写。"


def _side_label(operands: list[Operand], sheet: str) -> str:
    if not operands:
        return "0"
    if len(operands) > MAX_LISTED_TERMS:
        return "各项之和"
    parts = []
    for i, operand in enumerate(operands):
        label = operand.label
        if operand.value.sheet and operand.value.sheet != sheet:
            label = f"{operand.value.sheet} {label}"
        if i == 0:
            parts.append(label if operand.sign > 0 else f"− {label}")
        else:
            parts.append(f"{'+' if operand.sign > 0 else '−'} {label}")
    return " ".join(parts)


__all__ = ["Identity", "evaluate", "iter_findings", "ROUNDING", "TOTAL_BLANK", "MONEY"]
