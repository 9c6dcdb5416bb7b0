"""A stated 预算总数 against the sum of the 年初预算 list's items of its fund, within the 尾差 envelope."""

from __future__ import annotations

from collections.abc import Iterator

from ..issues import Issue
from ..model import Value, Workbook
from . import register
from ..catalogue import catalogue_for
from .compare import Identity, iter_findings
from ..operands import INPUT, Operand

#: 预算总数 fields (年初, 全年) of each fund.
BUDGET_TOTALS = {"一般公共预算": ("general_initial", "general_full"), "政府性基金": ("fund_initial", "fund_full"),
                 "国有资本经营": ("soe_initial", "soe_full")}

@register("budget-totals")
def check_budget_totals(workbook: Workbook) -> Iterator[Issue]:
    """Yield budget-total-mismatch (or a 尾差 info) where a stated total differs from its items' sum.

    The finding sits on the stated total's cell; the document keeps printing the sum of the items.
    A total is compared only when every item of its fund has the budget filled in.
    """
    catalogue = catalogue_for(workbook.spec)
    conf = catalogue.section("budgets")
    form = workbook.forms.get(conf.get("totals", "")) if conf else None
    if not form:
        return
    records = workbook.lists.get(conf["list"], [])
    for fund, fields in BUDGET_TOTALS.items():
        items = [r for r in records if r.get("code") and not r["code"].blank and _fund(r) == fund]
        for field_id, column in zip(fields, ("budget", conf.get("full_column", ""))):
            stated = form.get(field_id)
            if stated is None or stated.blank or not items:
                continue
            label = workbook.spec.input(conf["totals"]).field(field_id).label
            yield from iter_findings([_identity(fund, stated, label, items, column)], catalogue)


def _identity(fund: str, stated: Value, label: str, items: list[dict[str, Value]], column: str) -> Identity:
    kind = "全年预算数" if column != "budget" else "年初预算数"
    terms = [Operand(r.get(column) or Value(None), f"{r['code'].value} {kind}", source=INPUT) for r in items]
    return Identity("budget-total-mismatch", "=", [Operand(stated, label, source=INPUT)], terms,
                    rhs_label=f"“年初预算”表{fund}各项{kind}之和", totals=False)


def _fund(record: dict[str, Value]) -> str:
    value = record.get("fund")
    return str(value.value) if value is not None and value.value else "一般公共预算"
