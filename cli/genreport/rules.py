"""The keys of a check file (checks.yaml) as msgspec types, and the check of its rules against a spec.

`load_catalogue` validates the whole file against ChecksFile (a misspelt key, a missing `expr`, a number
where text belongs: one sentence with the key path); `rules_problem` then checks, when a profile loads,
that every cell, line, column and field a rule names exists in the profile's spec. A rule the spec
cannot satisfy on purpose (it names cells of another spec sharing the file) says `optional: true`.
"""

from __future__ import annotations

import itertools
import re
from typing import Any, Literal

import msgspec

from .expression import parse
from .references import field_problem, row_columns, term_problem
from .spec import WorkbookSpec


class _Rule(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class Identity(_Rule, kw_only=True):
    """`identities:` an equation between cells, expanded over `each:` (lists or codes(表))."""

    code: str
    expr: str
    label: str = ""
    lhs_label: str = ""
    """What the left side is called in the message (the right side's name is label)."""
    each: dict[str, list[str | int] | str] | None = None
    optional: bool = False


class RowRule(_Rule, kw_only=True):
    """`rows:` an equation every coded row of a table keeps between its columns."""

    code: str
    table: str
    expr: str
    block: str | None = None


class Hierarchy(_Rule, kw_only=True):
    """`hierarchy:` the tables whose 类 = Σ款, 款 = Σ项; footer totals of econ tables."""

    tables: list[str] = []
    econ: list[str] = []
    footers: dict[str, str] = {}


class Codes(_Rule, kw_only=True):
    """`codes:` the first digit of each classification's codes."""

    domains: dict[str, str] = {}


class EmptyPair(_Rule, kw_only=True):
    """`empty_pairs:` a table that is empty exactly when these cells are."""

    code: str
    column: str
    table: str


class SangongSide(_Rule, kw_only=True):
    total: str
    items: list[str]


class Sangong(_Rule, kw_only=True):
    """`sangong:` the “三公” table's totals and items."""

    table: str
    sides: list[SangongSide]
    sums: list[str] = []


class Implication(_Rule, kw_only=True):
    """`implications:` when a condition holds, a field must be filled (or a second condition hold)."""

    code: str
    when: str
    require: str
    note: str = ""
    at: Literal["when", "require"] | None = None
    optional: bool = False


class MagnitudePair(_Rule, kw_only=True):
    this: str
    other: str


class Magnitudes(_Rule, kw_only=True):
    """`magnitudes:` pairs of amounts that should be of one order of magnitude."""

    ratio: int = 1000
    pairs: list[MagnitudePair] = []


class Budgets(_Rule, kw_only=True):
    """`budgets:` the 年初预算 list and the tables of each fund."""

    list_: str = msgspec.field(name="list")
    full_column: str = ""
    totals: str = ""
    tables: dict[str, str] = {}
    item_reasons: list[str] = []
    reason_column: str = "reason"


class Projects(_Rule, kw_only=True):
    """`projects:` the 绩效项目 list and its score column."""

    list_: str = msgspec.field(name="list")
    score: str
    max_score: int = 100


class Units(_Rule, kw_only=True):
    """`units:` the unit hint's scale and thresholds."""

    scale: str
    input_factor: int
    neighbours: int
    min_neighbours: int
    not_amounts: list[str] = []


class Coverage(_Rule, kw_only=True):
    """`coverage:` every 项 of the tables has a filled row in an input list (and no other rows)."""

    code: str
    unknown: str
    list_: str = msgspec.field(name="list")
    key: str
    require: str
    tables: list[str]
    level: int = 3
    changed: CoverageChange | None = None


class CoverageChange(_Rule, kw_only=True):
    """`coverage[].changed:` a row whose amount differs from its prior column needs the require column."""

    code: str
    prior: str
    require: str


class RequiredList(_Rule, kw_only=True):
    """`required_lists:` a list that must have a row when `when` holds, unless the `unless` field is filled."""

    code: str
    list_: str = msgspec.field(name="list")
    when: str
    unless: str = ""


class NotChecked(_Rule, kw_only=True):
    ref: str
    reason: str


class CatalogueEntry(_Rule, kw_only=True):
    code: str
    group: str
    ref: str = ""
    severity: Literal["error", "warning", "info"]
    title: str


class ChecksFile(_Rule, kw_only=True):
    """Every key a check file may have."""

    catalogue: list[CatalogueEntry]
    doc_title: str = ""
    doc: str = ""
    version: int = 1
    extends: str = ""
    groups: dict[str, str] = {}
    not_checked: list[NotChecked] = []
    blocking: list[str] = []
    messages: dict[str, str | dict[str, str]] = {}
    identities: list[Identity] = []
    rows: list[RowRule] = []
    hierarchy: Hierarchy | None = None
    codes: Codes | None = None
    empty_pairs: list[EmptyPair] = []
    sangong: Sangong | None = None
    implications: list[Implication] = []
    magnitudes: Magnitudes | None = None
    budgets: Budgets | None = None
    projects: Projects | None = None
    units: Units | None = None
    coverage: list[Coverage] = []
    required_lists: list[RequiredList] = []
    publication_skips: list[str] = []
    """Codes not reported when a publication (PDF, Word) is checked: inputs its text does not hand over."""


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def rules_problem(rules: dict[str, Any], codes: set[str], spec: WorkbookSpec) -> str | None:
    """Return the first rule that names a code, table, line, column or field the spec lacks ("identities[3].expr：…")."""
    checks = [
        *(_identity(rule, f"identities[{i}]", spec) for i, rule in enumerate(rules.get("identities", []))),
        *(_implication(rule, f"implications[{i}]", spec) for i, rule in enumerate(rules.get("implications", []))),
        *(_row_rule(rule, f"rows[{i}]", spec) for i, rule in enumerate(rules.get("rows", []))),
        *(_terms(rule["column"], f"empty_pairs[{i}].column", spec) or _table(rule["table"], f"empty_pairs[{i}].table",
                                                                              spec)
          for i, rule in enumerate(rules.get("empty_pairs", []))),
        *(_terms(pair[key], f"magnitudes.pairs[{i}].{key}", spec)
          for i, pair in enumerate((rules.get("magnitudes") or {}).get("pairs", [])) for key in ("this", "other")),
        *(_table(t, f"hierarchy.{key}", spec)
          for key in ("tables", "econ") for t in (rules.get("hierarchy") or {}).get(key, [])),
        *(_list_field(rule["list"], field, f"coverage[{i}]", spec)
          for i, rule in enumerate(rules.get("coverage", [])) for field in (rule["key"], rule["require"])),
    ]
    for section in ("identities", "implications", "rows", "empty_pairs", "coverage"):
        for i, rule in enumerate(rules.get(section, [])):
            for key in ("code", "unknown"):
                if key in rule and rule[key] not in codes:
                    checks.append(f"{section}[{i}].{key}：代码 {rule[key]} 不在 catalogue 中")
    return next((problem for problem in checks if problem), None)


def _identity(rule: dict[str, Any], where: str, spec: WorkbookSpec) -> str | None:
    if rule.get("optional"):
        return None
    for text in _expanded(rule["expr"], rule.get("each")):
        problem = _terms(text, f"{where}.expr", spec, comparison=True)
        if problem:
            return problem
    return None


def _implication(rule: dict[str, Any], where: str, spec: WorkbookSpec) -> str | None:
    if rule.get("optional"):
        return None
    return _terms(rule["when"], f"{where}.when", spec, comparison=True) or _terms(
        rule["require"], f"{where}.require", spec, comparison=True)


def _row_rule(rule: dict[str, Any], where: str, spec: WorkbookSpec) -> str | None:
    problem = _table(rule["table"], f"{where}.table", spec)
    if problem:
        return problem
    table = spec.table(rule["table"])
    columns = row_columns(table) if not rule.get("block") else {
        c.id for b in table.blocks if b.id == rule["block"] for c in b.columns if c.role == "money"}
    for name in re.findall(r"[a-z]\w*", rule["expr"]):
        if name not in columns:
            return f"{where}.expr：列 {name} 不在表 {table.id} 中（可用的列：{'、'.join(sorted(columns))}）"
    return None


def _table(table_id: str, where: str, spec: WorkbookSpec) -> str | None:
    known = [t.id for t in spec.tables]
    return None if table_id in known else f"{where}：表 {table_id} 不存在（工作簿说明中的表：{'、'.join(known)}）"


def _list_field(list_id: str, field_id: str, where: str, spec: WorkbookSpec) -> str | None:
    problem = field_problem(list_id, field_id, spec, layout="list")
    return f"{where}：{problem}" if problem else None


def _terms(text: str, where: str, spec: WorkbookSpec, comparison: bool = False) -> str | None:
    """Return the first term of text the spec lacks, or a text that is not an expression."""
    try:
        expr = parse(text)
    except ValueError as error:
        return f"{where}：{error}"
    for _, ref in (*expr.lhs, *expr.rhs):
        problem = term_problem(ref, spec)
        if problem:
            return f"{where}：{problem}"
    return None


def _expanded(template: str, each: dict[str, Any] | None) -> list[str]:
    """Return the expressions of a rule with `each:` filled in (codes(表) as any code: checked as a pattern)."""
    if not each:
        return [template]
    names = list(each)
    choices = [[str(v) for v in value] if isinstance(value, list) else ["*"] for value in each.values()]
    return [_PLACEHOLDER.sub(lambda m, values=dict(zip(names, combo)): values.get(m.group(1), m.group(0)), template)
            for combo in itertools.product(*choices)]
