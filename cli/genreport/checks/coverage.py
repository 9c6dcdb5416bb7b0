"""`coverage:` rules: an input list that annotates table rows has one filled row for each of them, and no other;
`changed:` asks for the reason of a row whose stated prior figure differs from the table's."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..amounts import quantize
from ..issues import Issue
from ..model import Value, Workbook
from ..units import convert
from . import register
from ..catalogue import catalogue_for
from ..tablecells import code_cell


@register("coverage")
def check_coverage(workbook: Workbook) -> Iterator[Issue]:
    """Yield a finding for each table row of the rule's level that its list lacks or leaves unfilled."""
    for rule in catalogue_for(workbook.spec).section("coverage", []):
        records = workbook.lists.get(rule["list"])
        if records is not None:
            yield from _rule(workbook, rule, records)


def _rule(workbook: Workbook, rule: dict[str, Any], records: list[dict[str, Value]]) -> Iterator[Issue]:
    catalogue = catalogue_for(workbook.spec)
    sheet = workbook.spec.input(rule["list"]).sheet
    column = workbook.spec.input(rule["list"]).field(rule["require"]).label
    by_key = {_text(r.get(rule["key"])): r for r in reversed(records) if _text(r.get(rule["key"]))}
    wanted: set[str] = set()
    for table_id in rule["tables"]:
        table = workbook.tables.get(table_id)
        for row in table.rows if table else []:
            if row.level != int(rule.get("level", 3)):
                continue
            wanted.add(row.code)
            record = by_key.get(row.code)
            if record is None:
                yield catalogue.issue(rule["code"], code_cell(table, row),
                                      f"{row.code} {row.name} 在“{sheet}”表中没有对应行，编制说明要写它的“{column}”，"
                                      "请补一行。", expected=row.code)
            elif (record.get(rule["require"]) or Value(None)).blank:
                yield catalogue.issue(rule["code"], record.get(rule["require"]) or record[rule["key"]],
                                      f"{row.code} {row.name} 的“{column}”未填写。")
            if record is not None and rule.get("changed"):
                yield from _changed(workbook, rule, table, row, record)
    titles = "、".join(f"“{workbook.spec.table(t).title}”" for t in rule["tables"])
    for key, record in by_key.items():
        if key not in wanted and rule.get("unknown"):
            yield catalogue.issue(rule["unknown"], record[rule["key"]],
                                  f"“{sheet}”表中的科目 {key} 不是{titles}中的科目，这一行不会被使用。请核对科目编码。",
                                  actual=key)


def _changed(workbook: Workbook, rule: dict[str, Any], table: Any, row: Any, record: dict[str, Value]) -> Iterator[Issue]:
    """Yield the rule's `changed` finding when the row's stated prior differs from its amount and no reason is given."""
    conf = rule["changed"]
    spec = workbook.spec.input(rule["list"])
    prior, reason = record.get(conf["prior"]), record.get(conf["require"]) or Value(None)
    if prior is None or prior.blank or not isinstance(prior.value, Decimal) or not reason.blank:
        return
    unit = spec.field(conf["prior"]).unit or workbook.spec.unit
    amount = convert(row.get(rule.get("column", "total")).amount, table.spec.unit or workbook.spec.unit, unit)
    if amount != quantize(prior.value):
        yield catalogue_for(workbook.spec).issue(conf["code"], reason if reason.sheet else prior, item=row.code,
                                                 name=row.name, amount=amount, prior=prior.value, unit=unit,
                                                 label=spec.field(conf["require"]).label)


def _text(value: Value | None) -> str:
    return str(value.value).strip() if value is not None and value.value is not None else ""
