"""The identities of checks.yaml: named-cell equations, per-row equations and the empty-table pairs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..issues import Issue
from ..model import Value, Workbook
from . import register
from ..catalogue import catalogue_for
from ..tablecells import column_label
from .compare import Identity, iter_findings
from ..expression import expand, parse
from ..operands import in_common_unit, resolve_side

_WORD = re.compile(r"\b([a-z_]\w*)\b")


@register("identities")
def check_identities(workbook: Workbook) -> Iterator[Issue]:
    """Yield a finding for every broken (or 尾差) identity of the `identities:` section."""
    catalogue = catalogue_for(workbook.spec)
    for rule in catalogue.section("identities", []):
        yield from iter_findings(rule_identities(rule, workbook), catalogue)


@register("rows")
def check_rows(workbook: Workbook) -> Iterator[Issue]:
    """Yield a finding for every row of a table that breaks its `rows:` equation."""
    catalogue = catalogue_for(workbook.spec)
    for rule in catalogue.section("rows", []):
        yield from iter_findings(row_identities(rule, workbook), catalogue)



def rule_identities(rule: dict[str, Any], workbook: Workbook) -> Iterator[Identity]:
    """Yield the identities of one `identities:` rule (one per `each:` combination that resolves)."""
    for text in expand(rule["expr"], rule.get("each"), workbook):
        identity = build_identity(rule["code"], text, workbook, rule.get("label", ""))
        if identity is not None:
            yield replace(identity, lhs_label=rule.get("lhs_label", ""))


def build_identity(code: str, text: str, workbook: Workbook, rhs_label: str = "") -> Identity | None:
    """Return the identity an expression stands for, None when one of its cells does not exist."""
    expr = parse(text)
    if expr.op not in ("=", "<=", ">="):
        raise ValueError(f"{code}: 等式只能用 =、<= 或 >=：{text}")
    lhs = resolve_side(expr.lhs, workbook)
    rhs = resolve_side(expr.rhs, workbook)
    if lhs is None or rhs is None or not lhs:
        return None
    both = in_common_unit(lhs + rhs)
    lhs, rhs = both[: len(lhs)], both[len(lhs):]
    sheets = {o.value.sheet for o in lhs + rhs if o.value.sheet}
    return Identity(code, expr.op, lhs, rhs, rhs_label=rhs_label, totals=len(sheets) <= 1)


def row_identities(rule: dict[str, Any], workbook: Workbook) -> Iterator[Identity]:
    """Yield the identity of one `rows:` rule for each row (coded tables: every 科目 and the 合计 row)."""
    table = workbook.tables.get(rule["table"])
    if table is None:
        return
    rhs_label = _columns_label(table.spec, rule["expr"])
    for prefix in _row_prefixes(rule, workbook):
        text = _WORD.sub(lambda m: prefix + m.group(1), rule["expr"])
        identity = build_identity(rule["code"], text, workbook, rhs_label)
        if identity is not None:
            yield identity


def _row_prefixes(rule: dict[str, Any], workbook: Workbook) -> list[str]:
    table = workbook.tables[rule["table"]]
    tid = rule["table"]
    if table.spec.layout == "lines":
        block = next(b for b in table.spec.blocks if b.id == rule["block"])
        return [f"{tid}.{line.id}." for line in block.lines if line.id]
    prefixes = [f"{tid}.total."] if "total" in table.lines else []
    return prefixes + [f"{tid}[{row.code}]." for row in table.rows]


def _columns_label(spec: Any, expr: str) -> str:
    """Return 基本支出 + 项目支出: the right side of a row equation in printed column titles."""
    rhs = re.split(r"<=|>=|=", expr, maxsplit=1)[1]
    parts, sign = [], "+"
    for token in re.findall(r"[+-]|[a-z_]\w*", rhs):
        if token in ("+", "-"):
            sign = token
            continue
        title = column_label(spec, token)
        parts.append(title if not parts and sign == "+" else f"{'+' if sign == '+' else '−'} {title}")
        sign = "+"
    return " ".join(parts)


@register("empty-tables")
def check_empty_pairs(workbook: Workbook) -> Iterator[Issue]:
    """Yield an error when a T04 fund column and its own table disagree on being empty."""
    catalogue = catalogue_for(workbook.spec)
    for rule in catalogue.section("empty_pairs", []):
        operands = resolve_side(parse(rule["column"]).lhs, workbook)
        table = workbook.tables.get(rule["table"])
        if operands is None or table is None or any(o.bad for o in operands) or _has_bad(table):
            continue
        filled = [o for o in operands if o.number != 0]
        if bool(filled) != table.empty:
            continue
        sheet = table.spec.sheet
        if filled:
            at = filled[0].value
            message = f"{filled[0].label} 为 {filled[0].number:,.2f} {filled[0].unit}，但{sheet}没有数据"
        else:
            at = _first_filled(table)
            column_sheet = next((o.value.sheet for o in operands if o.value.sheet), "")
            message = f"{sheet}有数据，但{column_sheet}对应列全部为空或0"
        yield catalogue.issue(rule["code"], at, message)


def _has_bad(table: Any) -> bool:
    values = [v for cells in table.lines.values() for v in cells.values()]
    return any(v.bad for v in values + [v for row in table.rows for v in row.cells.values()])


def _first_filled(table: Any) -> Value:
    values = [v for cells in table.lines.values() for v in cells.values()]
    values += [v for row in table.rows for v in row.cells.values()]
    return next(v for v in values if v.amount != 0)
