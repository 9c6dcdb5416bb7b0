"""Inputs the narrative needs: implications of checks.yaml (reasons, uses, counts, prior), 年初预算 rows, scores."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..address import Address
from ..amounts import quantize
from ..issues import Issue
from ..model import Value, Workbook
from . import Printed, register
from ..catalogue import catalogue_for
from ..tablecells import code_cell
from ..expression import parse
from ..operands import COUNT, CONST, Operand, in_common_unit, resolve_side, unit_of

TEXT_TYPES = ("text", "paragraphs")
COMPARE = {
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
}


@register("implications", printed=True)
def check_implications(workbook: Workbook, printed: Printed) -> Iterator[Issue]:
    """Yield a finding for every `implications:` rule whose `when` holds and whose `require` does not (a required
    text only when the report prints it)."""
    catalogue = catalogue_for(workbook.spec)
    for rule in catalogue.section("implications", []):
        when = Condition(rule["when"], workbook)
        if when.holds is not True:
            continue
        need = Condition(rule["require"], workbook)
        if need.holds is not False or not all(printed.prints(*field) for field in need.texts):
            continue
        at = (when if rule.get("at") == "when" else need).operands[0].value
        when_text, need_text, note = when.describe(at.sheet), need.describe_failure(at.sheet), rule.get("note", "")
        if "implied" in catalogue.entry(rule["code"]).messages:  # a code with its own wording says it for rules too
            yield catalogue.issue(rule["code"], at, variant="implied", when=when_text, need=need_text, note=note)
        else:
            yield catalogue.issue(rule["code"], at, f"{when_text}，但{need_text}。{note}".strip())


@register("required_lists")
def check_required_lists(workbook: Workbook) -> Iterator[Issue]:
    """Yield a finding for every `required_lists:` rule whose list is empty although `when` holds and the
    `unless` field (where the workbook says the figure another way, e.g. 0 projects) is blank."""
    catalogue = catalogue_for(workbook.spec)
    for rule in catalogue.section("required_lists", []):
        records = workbook.lists.get(rule["list"])
        when = Condition(rule["when"], workbook)
        if records is None or records or when.holds is not True:
            continue
        unless = Condition(rule["unless"], workbook)
        if unless.holds is True:
            continue
        sheet = workbook.spec.input(rule["list"]).sheet
        form_id, _, field_id = rule["unless"].partition(".")
        other = workbook.spec.input(form_id)
        yield catalogue.issue(rule["code"], Address(sheet), when=when.describe(sheet), list_sheet=sheet,
                              unless_sheet=other.sheet, unless=other.field(field_id).label)


class Condition:
    """An expression of checks.yaml evaluated as true/false on the rounded figures (None: cannot tell)."""

    def __init__(self, text: str, workbook: Workbook) -> None:
        expr = parse(text)
        self.op = expr.op
        lhs = resolve_side(expr.lhs, workbook)
        rhs = resolve_side(expr.rhs, workbook) if expr.op else []
        both = in_common_unit((lhs or []) + (rhs or []), finest=False)
        self.lhs, self.rhs = both[: len(lhs or [])], both[len(lhs or []):]
        self.operands = self.lhs + self.rhs
        self.texts = [(r.owner, r.key) for _, r in expr.lhs if r.kind == "field"
                      and workbook.spec.input(r.owner).field(r.key).type in TEXT_TYPES] if expr.op is None and lhs else []
        """The text fields a presence test asks for: asked only where the profile's template prints them."""
        self.holds = None if lhs is None or rhs is None else self._truth()

    def _truth(self) -> bool | None:
        if any(o.bad for o in self.operands):
            return None
        missing = [o for o in self.operands if o.missing]
        if missing:  # a comparison cannot tell; a presence test of a field the reader does not require fails
            return None if self.op is not None or any(o.required for o in missing) else False
        if self.op is None:
            return all(not o.blank for o in self.operands)
        return COMPARE[self.op](_total(self.lhs), _total(self.rhs))

    def describe(self, sheet: str) -> str:
        """Return 公开09表 决算数 因公出国（境）费为 3.00 万元 / A 1.00 与 B 2.00 不同."""
        left = f"{_label(self.lhs, sheet)}"
        if self.op == "!=" and not _is_zero(self.rhs):
            return f"{left} {_show(self.lhs)} 与 {_label(self.rhs, sheet)} {_show(self.rhs)} 不同"
        return f"{left}为 {_show(self.lhs)}"

    def describe_failure(self, sheet: str) -> str:
        """Return “原因”未填写 (presence) or 团组数为 0 (comparison)."""
        if self.op is None or any(o.missing for o in self.lhs):
            return f"情况说明需要的“{_label(self.lhs, sheet)}”未填写"
        return f"{_label(self.lhs, sheet)}为 {_show(self.lhs)}"


def _total(operands: list[Operand]) -> Decimal:
    return quantize(sum((o.sign * o.number for o in operands), Decimal(0)))


def _is_zero(operands: list[Operand]) -> bool:
    return all(o.kind == CONST and o.number == 0 for o in operands)


def _label(operands: list[Operand], sheet: str) -> str:
    labels = []
    for operand in operands:
        prefix = f"{operand.value.sheet} " if operand.value.sheet and operand.value.sheet != sheet else ""
        labels.append(prefix + operand.label)
    return " + ".join(labels)


def _show(operands: list[Operand]) -> str:
    if all(o.kind in (COUNT, CONST) for o in operands):
        return f"{_total(operands):,.0f}"
    return f"{_total(operands):,.2f} {unit_of(operands)}"


@register("budgets", printed=True)
def check_budgets(workbook: Workbook, printed: Printed) -> Iterator[Issue]:
    """Yield budget-missing/-duplicate/-unknown-item and per-item reason-missing for the 年初预算 list."""
    catalogue = catalogue_for(workbook.spec)
    conf = catalogue.section("budgets")
    records = workbook.lists.get(conf["list"]) if conf else None
    if records is None:
        return
    index: dict[tuple[str, str], dict[str, Value]] = {}
    for record in records:
        key = (_text(record, "fund"), _text(record, "code"))
        if not key[1]:
            continue
        if key in index:
            yield catalogue.issue("budget-duplicate", record["code"], fund=key[0], actual=key[1])
            continue
        index[key] = record
    if records and not any("budget" in r for r in records) and all(_blank(r, conf.get("full_column", "")) for r in records):
        spec = workbook.spec.input(conf["list"])
        yield catalogue.issue("missing-column", records[0]["code"], variant="budget", label=spec.field("budget").label)
        return
    yield from _budget_items(workbook, conf, index, printed)


def _budget_items(workbook: Workbook, conf: dict[str, Any], index: dict[tuple[str, str], dict[str, Value]],
                  printed: Printed) -> Iterator[Issue]:
    catalogue = catalogue_for(workbook.spec)
    records = workbook.lists.get(conf["list"], [])
    reason_column = conf.get("reason_column", "reason")
    items: set[tuple[str, str]] = set()
    for fund, table_id in conf["tables"].items():
        table = workbook.tables.get(table_id)
        for row in table.rows if table else []:
            if row.level != 3:
                continue
            items.add((fund, row.code))
            record = index.get((fund, row.code))
            if record is None:
                yield catalogue.issue("budget-missing", code_cell(table, row), code=row.code, name=row.name, fund=fund)
            elif _blank(record, "budget") and _blank(record, conf.get("full_column", "")):
                yield catalogue.issue("budget-blank", record.get("budget") or record["code"], code=row.code,
                                      name=row.name)
            elif fund in conf.get("item_reasons", []):
                found = list(_item_reason(workbook, conf, row.get("total"), record, f"{row.code} {row.name}"))
                if found and printed.prints(conf["list"], reason_column, _index(records, record)):
                    yield from found
    for key, record in index.items():
        if key not in items:
            yield catalogue.issue("budget-unknown-item", record["code"], fund=key[0],
                                  table=_table_name(workbook, conf, key[0]), actual=key[1])


def _item_reason(workbook: Workbook, conf: dict[str, Any], actual: Value, record: dict[str, Value],
                 label: str) -> Iterator[Issue]:
    full = conf.get("full_column", "")
    kind, budget = ("全年预算", record[full]) if not _blank(record, full) else ("年初预算", record.get("budget"))
    reason = record.get(conf.get("reason_column", "reason"))
    if budget is None or budget.blank or reason is None or not reason.blank:
        return
    if quantize(actual.amount) != quantize(budget.amount):
        yield catalogue_for(workbook.spec).issue("reason-missing", reason, variant="budget", label=label, kind=kind,
                                                 amount=actual.amount, budget=budget.amount)


def _index(records: list[dict[str, Value]], record: dict[str, Value]) -> int:
    return next(i for i, r in enumerate(records) if r is record)


def _blank(record: dict[str, Value], key: str) -> bool:
    value = record.get(key)
    return value is None or value.blank


def _table_name(workbook: Workbook, conf: dict[str, Any], fund: str) -> str:
    table_id = conf["tables"].get(fund)
    return workbook.spec.table(table_id).sheet if table_id else "对应公开表"


def _text(record: dict[str, Value], key: str) -> str:
    value = record.get(key)
    return str(value.value).strip() if value is not None and value.value is not None else ""


@register("project-scores")
def check_project_scores(workbook: Workbook) -> Iterator[Issue]:
    """Yield perf-score-range for a project 自评得分 outside 0…max_score."""
    catalogue = catalogue_for(workbook.spec)
    conf = catalogue.section("projects")
    for record in workbook.lists.get(conf["list"], []) if conf else []:
        score = record.get(conf["score"])
        if score is None or score.blank:
            continue
        if not Decimal(0) <= score.amount <= Decimal(conf["max_score"]):
            name = _text(record, "name") or "项目"
            yield catalogue.issue("perf-score-range", score, variant="project", name=name, max_score=conf["max_score"],
                                  actual=str(score.amount))
