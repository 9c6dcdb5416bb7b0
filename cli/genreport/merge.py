"""汇总: the department's workbook data as the sum of its units' (本级 first, then 下属单位), by the spec's rules.

The rules are data (the spec's `merge:` section, see standard.yaml); this module only applies them to read
workbooks and returns plain data for excel.write_workbook, with what each merged cell was made of.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .carryover import resolve
from .errors import SpecError
from .model import Value, Workbook
from .tablecells import column_label, line_label
from .spec import Field, InputSpec, TableSpec, WorkbookSpec

#: A merged cell: (table id, line id / 科目编码, column id) or (input id, None / list row index, field id).
Key = tuple[str, Any, str]
FIELD_RULES = ("sum", "main", "ask", "units", "same", "concat")
LIST_RULES = ("concat", "units", "none")


@dataclass(frozen=True)
class Unit:
    """One unit's checked workbook: name is its 部门名称 (the unit's own name); main marks the 本级."""

    workbook: Workbook
    name: str
    main: bool = False


@dataclass
class Merged:
    """The department's data (excel.write_workbook's shape) and what each merged value was made of."""

    data: dict[str, Any]
    units: list[str]
    """The units' names in merge order (本级 first)."""
    trace: dict[Key, list[Any]] = field(default_factory=dict)
    """Each summed cell → the units' values (None where the unit left it blank), in units order."""
    labels: dict[Key, str] = field(default_factory=dict)
    """Each traced cell → what it is (科目 or line and column), for the 汇总来源 sheet."""
    asked: list[Key] = field(default_factory=list)
    """Cells left blank for the department to fill (form fields and list columns with the `ask` rule)."""
    tags: dict[str, list[str]] = field(default_factory=dict)
    """List input id → the unit(s) each merged row comes from."""
    flows: list[tuple[str, str, Decimal]] = field(default_factory=list)
    """(unit, line, amount) of each internal flow between the department's units."""
    totals: list[tuple[str, list[Any], Any]] = field(default_factory=list)
    """(name, the units' amounts, the merged amount) of each total the spec names."""
    asked_fields: list[tuple[str, str]] = field(default_factory=list)
    """(sheet, field label) of each cell in asked, for the merge report."""


def merge_units(units: list[Unit], spec: WorkbookSpec, name: str | None = None) -> Merged:
    """Return the department's data merged from units (the 本级 first); name replaces the 部门名称."""
    rules = spec.merge
    merged = Merged({"tables": {}, "forms": {}, "lists": {}}, [u.name for u in units])
    books = [u.workbook for u in units]
    for table in spec.tables:
        merged.data["tables"][table.id] = _merge_table(table, books, merged)
    for item in spec.inputs:
        if item.layout == "form":
            merged.data["forms"][item.id] = _merge_form(item, units, rules, merged)
        else:
            merged.data["lists"][item.id] = _merge_list(item, units, rules, merged)
    if name:
        merged.data["forms"].setdefault("profile", {})["dept_name"] = name
    merged.asked_fields = [(spec.input(i).sheet, spec.input(i).field(f).label) for i, _, f in merged.asked]
    merged.flows = _flows(units, rules.get("flows", []), spec)
    merged.totals = [(label, [_resolved(b, ref) for b in books], _total(merged, ref))
                     for label, ref in rules.get("totals", {}).items()]
    return merged


def add(values: list[Any]) -> Any:
    """Return the sum of values: None when every one is blank, so 0 in any unit gives 0 (blank ≠ 0.00)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present[1:], present[0])


# ---- tables -----------------------------------------------------------------------


def _merge_table(table: TableSpec, books: list[Workbook], merged: Merged) -> dict[str, Any]:
    """Return a table summed cell by cell: fixed lines by line, coded rows by 科目编码 (the union of codes)."""
    tables = [b.tables.get(table.id) for b in books]  # None: the unit's sheet is missing (merged with force)
    present = [t for t in tables if t is not None]
    lines: dict[str, dict[str, Any]] = {}
    for line in dict.fromkeys(k for t in present for k in t.lines):
        columns = dict.fromkeys(c for t in present for c in t.lines.get(line, {}))
        lines[line] = {c: _summed(merged, (table.id, line, c), [t.cell(line, c) if t else None for t in tables],
                                  line_label(table, line, c)) for c in columns}
    by_code = [{r.code: r for r in t.rows} if t else {} for t in tables]
    names: dict[str, str] = {}
    for rows_of in by_code:
        for code, row in rows_of.items():
            names.setdefault(code, row.name)
    rows = []
    for code in sorted(names, key=lambda c: (c[:3], c[:5], c)):
        found = [rows_of.get(code) for rows_of in by_code]
        record: dict[str, Any] = {"code": code, "name": names[code]}
        for c in dict.fromkeys(c for r in found if r is not None for c in r.cells):
            values = [r.get(c) if r is not None else None for r in found]
            record[c] = _summed(merged, (table.id, code, c), values, _row_label(table, code, names[code], c))
        rows.append(record)
    return {"lines": lines, "rows": rows}


def _summed(merged: Merged, key: Key, values: list[Value | None], label: str) -> Any:
    plain = [None if v is None or v.bad else v.value for v in values]
    merged.trace[key] = plain
    merged.labels[key] = label
    return add(plain)


def _row_label(table: TableSpec, code: str, name: str, column: str) -> str:
    """Return “2010301 行政运行 基本支出” (an econ row: “30101 基本工资”), as the check messages name a row's cell."""
    words = f"{code} {name}"
    return words if table.layout == "econ" else f"{words} {column_label(table, column)}"


# ---- input sheets -----------------------------------------------------------------


def field_rule(item: InputSpec, entry: Field, rules: dict[str, Any]) -> Any:
    """Return the rule of a form field: the spec's (field, then its sheet), else by type (amounts add up)."""
    fields = rules.get("fields", {})
    rule = fields.get(f"{item.id}.{entry.id}", fields.get(item.id))
    if rule is None:
        rule = "sum" if entry.type in ("money", "count") else "same" if entry.type == "year" else "main"
    if not isinstance(rule, dict) and rule not in FIELD_RULES:
        raise SpecError(f"汇总规则 {item.id}.{entry.id} 应为 {' / '.join(FIELD_RULES)} 之一，实际是 {rule!r}")
    return rule


def _merge_form(item: InputSpec, units: list[Unit], rules: dict[str, Any], merged: Merged) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for entry in item.fields:
        rule = field_rule(item, entry, rules)
        key = (item.id, None, entry.id)
        if isinstance(rule, dict):
            values[entry.id] = rule.get("value")
        elif rule == "sum":
            values[entry.id] = _summed(merged, key, [u.workbook.form(item.id, entry.id) for u in units], entry.label)
        elif rule == "ask":
            merged.asked.append(key)
        elif rule == "units":
            line = rules.get("unit_line", "{name}")
            values[entry.id] = [line.format(name=u.name) for u in units]
        elif rule == "concat" and entry.type == "paragraphs":  # each unit's paragraphs in turn, the 本级's first
            values[entry.id] = [p for u in units for p in u.workbook.value(item.id, entry.id) or []] or None
        else:  # main, same: the 本级's value (years were compared before merging)
            values[entry.id] = units[0].workbook.value(item.id, entry.id)
    return values


def _merge_list(item: InputSpec, units: list[Unit], rules: dict[str, Any], merged: Merged) -> list[dict[str, Any]]:
    rule = rules.get("lists", {}).get(item.id, "concat")
    if isinstance(rule, dict):
        return _merge_by(item, units, rule, merged)
    if rule not in LIST_RULES:
        raise SpecError(f"汇总规则 lists.{item.id} 应为 {' / '.join(LIST_RULES)} 或 {{by: […]}}，实际是 {rule!r}")
    if rule == "none":
        return []
    records, tags = [], []
    for unit in units:
        rows = [_plain(r) for r in unit.workbook.lists.get(item.id, [])]
        if rule == "units" and not rows:
            rows = [{item.fields[0].id: unit.name}]
        records += rows
        tags += [unit.name] * len(rows)
    if rule == "units":  # a unit listed by the 本级 and by itself is one unit: its first line stays
        first, kept = item.fields[0].id, {}
        for record in records:
            kept.setdefault("".join(str(record.get(first) or "").split()), record)
        return list(kept.values())
    merged.tags[item.id] = tags
    return records


def _merge_by(item: InputSpec, units: list[Unit], rule: dict[str, Any], merged: Merged) -> list[dict[str, Any]]:
    """Return a list merged by key columns: one row per key, amounts added, texts from the first unit having it."""
    keys, asked = list(rule.get("by", [])), set(rule.get("ask", []))
    groups: dict[tuple[Any, ...], list[tuple[str, dict[str, Value]]]] = {}
    for unit in units:
        for row in unit.workbook.lists.get(item.id, []):
            groups.setdefault(tuple(row[k].value if k in row else None for k in keys), []).append((unit.name, row))
    records, tags = [], []
    for index, members in enumerate(groups.values()):
        record: dict[str, Any] = {}
        for entry in item.fields:
            key = (item.id, index, entry.id)
            values = [row.get(entry.id) for _, row in members]
            if entry.id in asked:
                merged.asked.append(key)
            elif entry.type in ("money", "count"):
                label = " ".join(str(record.get(k) or "") for k in keys) + f" {entry.label}"
                record[entry.id] = _summed(merged, key, _per_unit(units, members, entry.id), label.strip())
            else:
                record[entry.id] = next((v.value for v in values if v is not None and not v.blank), None)
        records.append(record)
        tags.append("、".join(dict.fromkeys(name for name, _ in members)))
    merged.tags[item.id] = tags
    return records


def _per_unit(units: list[Unit], members: list[tuple[str, dict[str, Value]]], column: str) -> list[Value | None]:
    """Return each unit's value of a merged list row (summed within a unit that has the key twice)."""
    values: list[Value | None] = []
    for unit in units:
        own = [row[column] for name, row in members if name == unit.name and column in row]
        total = add([v.value for v in own if not v.bad])
        values.append(Value(total) if own else None)
    return values


def _plain(row: dict[str, Value]) -> dict[str, Any]:
    return {k: v.value for k, v in row.items()}


# ---- report ----------------------------------------------------------------------


def _flows(units: list[Unit], refs: list[str], spec: WorkbookSpec) -> list[tuple[str, str, Decimal]]:
    """Return (unit, line, amount) for each internal-flow line a unit filled with a non-zero amount."""
    found = []
    for ref in refs:
        label = _ref_label(spec, ref)
        for unit in units:
            amount = _resolved(unit.workbook, ref)
            if amount:
                found.append((unit.name, label, amount))
    return found


def _ref_label(spec: WorkbookSpec, ref: str) -> str:
    table_id, line, column = ref.split(".")
    table = spec.table(table_id)
    return f"{table.number or table.title} {line_label(table, line, column)}"


def _resolved(workbook: Workbook, ref: str) -> Any:
    try:
        return resolve(workbook, ref)
    except KeyError:
        return None


def _total(merged: Merged, ref: str) -> Any:
    table_id, line, column = ref.split(".")
    return merged.data["tables"].get(table_id, {}).get("lines", {}).get(line, {}).get(column)
