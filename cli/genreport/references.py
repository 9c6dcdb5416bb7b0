"""Check the terms of an expression against a spec when a profile loads: every table, line, column and field exists.

A rule or figure naming a cell the spec does not have would otherwise never fire or fail at generate time;
here it is one Chinese sentence (the caller adds the file and key path).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from .expression import Ref

if TYPE_CHECKING:  # spec.py checks its figures with this module when it loads
    from .spec import TableSpec, WorkbookSpec


def table_lines(spec: TableSpec) -> dict[str, set[str]]:
    """Return line id → the money column ids of a table's fixed lines (totals of coded and econ tables too)."""
    if spec.layout == "lines":
        return {line.id: {c.id for c in block.columns if c.role == "money"}
                for block in spec.blocks for line in block.lines if line.id}
    if spec.layout == "record":
        return {"row": {c.id for c in spec.columns}}
    if spec.layout == "econ":
        return {total.id: {"amount"} for total in spec.totals}
    return {"total": {c.id for c in spec.money_columns}}


def row_columns(spec: TableSpec) -> set[str]:
    """Return the column ids a coded-row term (`t05[2010301].total`) may name."""
    if spec.layout == "econ":
        return {"amount"}
    if spec.layout == "lines":
        return {c.id for block in spec.blocks for c in block.columns if c.role == "money"}
    return {c.id for c in spec.money_columns}


def term_problem(ref: Ref, spec: WorkbookSpec) -> str | None:
    """Return what is wrong with a term (one Chinese clause), None when the spec has everything it names."""
    if ref.kind in ("const", "name"):
        return None
    if ref.kind == "field":
        return field_problem(ref.owner, ref.key, spec, layout="form")
    tables = {t.id: t for t in spec.tables}
    table = tables.get(ref.owner)
    if table is None:
        return f"“{ref.text}”中的表 {ref.owner} 不存在（工作簿说明中的表：{_some(tables)}）"
    if ref.kind == "row":
        columns = row_columns(table)
        if ref.column not in columns:
            return f"“{ref.text}”中的列 {ref.column} 不在表 {ref.owner} 中（可用的列：{'、'.join(sorted(columns))}）"
        return None
    lines = table_lines(table)
    matched = [line for line in lines if fnmatchcase(line, ref.key)]
    if not matched:
        return f"“{ref.text}”中的行 {ref.key} 不在表 {ref.owner} 中（可用的行：{_some(lines)}）"
    missing = [line for line in matched if ref.column not in lines[line]]
    if missing:
        return (f"“{ref.text}”中的列 {ref.column} 不在表 {ref.owner} 的 {missing[0]} 行中"
                f"（可用的列：{'、'.join(sorted(lines[missing[0]]))}）")
    return None


def field_problem(input_id: str, field_id: str | None, spec: WorkbookSpec, layout: str | None = None) -> str | None:
    """Return what is wrong with input_id (and its field_id), None when it exists with that layout."""
    inputs = {i.id: i for i in spec.inputs}
    found = inputs.get(input_id)
    if found is None:
        return f"输入表 {input_id} 不存在（工作簿说明中的输入表：{'、'.join(inputs)}）"
    if layout is not None and found.layout != layout:
        kind = {"form": "逐项填写的表（form）", "list": "列表（list）"}[layout]
        return f"输入表 {input_id} 不是{kind}"
    fields = [f.id for f in found.fields]
    if field_id is not None and field_id not in fields:
        return f"输入表 {input_id} 中没有 {field_id}（可用的项：{_some(fields)}）"
    return None


def _some(names: object) -> str:
    """Return up to 12 names joined by 、 (then 等 N 个) for a message."""
    items = list(names)  # type: ignore[call-overload]
    shown = "、".join(items[:12])
    return shown + (f" 等 {len(items)} 个" if len(items) > 12 else "")
