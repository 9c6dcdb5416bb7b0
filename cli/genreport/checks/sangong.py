"""The “三公” table's blank and zero rules (S-ZERO, Z-SANGONG-BLANK); its sums live in checks.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..issues import ERROR, Issue
from ..model import Value, Workbook
from . import register
from ..catalogue import Catalogue, catalogue_for
from ..tablecells import column_label
from .compare import evaluate
from .identities import rule_identities


@register("sangong")
def check_sangong(workbook: Workbook) -> Iterator[Issue]:
    """Yield s-zero for items of a zero total and sangong-item-blank for blank items of a non-zero total."""
    catalogue = catalogue_for(workbook.spec)
    conf = catalogue.section("sangong")
    table = workbook.tables.get(conf["table"]) if conf else None
    if table is None or "row" not in table.lines:
        return
    for side in conf["sides"]:
        total = table.cell("row", side["total"])
        items = [(column, table.cell("row", column)) for column in side["items"]]
        if total.bad or any(item.bad for _, item in items):
            continue
        if total.amount == 0:
            for column, item in items:
                if item.amount != 0:
                    yield catalogue.issue("s-zero", item, total_label=_label(table, side["total"]),
                                          label=_label(table, column), unit=table.spec.unit, expected="0.00",
                                          actual=f"{item.amount:,.2f}")
        elif total.amount > 0:
            yield from _blank_items(workbook, catalogue, conf, table, total, items)


def _blank_items(workbook: Workbook, catalogue: Catalogue, conf: dict[str, Any], table: Any, total: Value,
                 items: list[tuple[str, Value]]) -> Iterator[Issue]:
    blanks = [(column, item) for column, item in items if item.blank]
    if not blanks:
        return
    cells = {total.cell} | {item.cell for _, item in items}
    broken = _sums_broken(workbook, catalogue, conf["sums"], cells)
    for column, item in blanks:
        yield catalogue.issue("sangong-item-blank", item, variant="broken" if broken else "balanced",
                              severity_of=broken, label=_label(table, column), total=total.amount,
                              unit=table.spec.unit)


def _sums_broken(workbook: Workbook, catalogue: Catalogue, codes: list[str], cells: set[str]) -> str:
    """Return the code of an error-level sum rule (s-total, s-car) over these cells that is broken, else ""."""
    for rule in catalogue.section("identities", []):
        if rule["code"] not in codes:
            continue
        for identity in rule_identities(rule, workbook):
            if not cells & {o.value.cell for o in identity.lhs + identity.rhs}:
                continue
            issue = evaluate(identity, catalogue)
            if issue is not None and issue.severity == ERROR:
                return issue.code
    return ""


def _label(table: Any, column: str) -> str:
    return column_label(table.spec, column)
