"""Build the template context: document metadata, every table's printable rows, and the figures."""

from __future__ import annotations

from dataclasses import replace
from itertools import zip_longest
from typing import Any

from ..amounts import NumberFormat
from ..figures import Figures
from ..model import Table, Value, Workbook
from ..profile import Conventions, Profile
from ..spec import Column, TableSpec
from ..model import Missing
from .charts import build_charts
from .filters import cn_num, renumbered
from .tables import ALL_TABLES, table_mark

def build_context(workbook: Workbook, fig: Figures, profile: Profile) -> dict[str, Any]:
    """Return everything the template may use (see docs/模板变量.md), from data handed in (nothing is loaded)."""
    kind = workbook.value("profile", "kind") or "部门"
    conv = profile.conventions
    org_self, org_this = conv.org_self.format(kind=kind), conv.org_this.format(kind=kind)
    names = {"org": org_self, "dept": workbook.dept_name or "", "this": org_this, "kind": kind, "year": str(workbook.year or ""),
             "prior_year": str(workbook.year - 1) if workbook.year else ""}
    order = [t.spec.id for t in workbook.tables.values()]
    charts = build_charts(fig)
    return {
        "dept_name": workbook.dept_name or _missing(workbook, "profile", "dept_name"),
        "year": workbook.year,
        "compiled_on": workbook.value("profile", "compiled_on") or "",
        "kind": kind,
        "org_self": org_self,
        "org_this": org_this,
        "unit_list": [{"name": r["name"].value, "note": (r.get("note") and r["note"].value) or ""}
                      for r in workbook.lists.get("unit_list", []) if r.get("name") and r["name"].value],
        "duties": workbook.value("profile", "duties") or [],
        "structure": workbook.value("profile", "structure") or [],
        "units": workbook.value("profile", "units") or [],
        "tables": {tid: _table_context(t, i, conv, names, workbook) for i, (tid, t) in
                   enumerate(workbook.tables.items(), start=1)},
        "all_tables": ALL_TABLES,
        "table": lambda table_id: table_mark(str(table_id)),
        "table_order": order,
        "fig": fig,
        "conv": conv,
        "charts": {key: (chart if conv.charts else None) for key, chart in charts.items()},
        "glossary": [{"term": e.term, "text": e.text} for e in profile.glossary_entries],
        "toc": [{"text": _fill(e.text, **names), "level": e.level, "at": _fill(e.at or e.text, **names)}
                for e in conv.toc],
    }


def _table_context(table: Table, position: int, conv: Conventions, names: dict[str, str],
                   workbook: Workbook) -> dict[str, Any]:
    spec = table.spec
    build = {"lines": _line_rows, "coded": _coded_rows, "econ": _econ_rows, "record": _record_rows}[spec.layout]
    sources = build(table)  # workbook Values (their cells), labels and line numbers as text
    names = {**names, "unit": spec.unit or workbook.spec.unit}
    title, number = _fill(spec.title, **names), _fill(spec.number, **names)
    return {
        "id": spec.id,
        "title": title,
        "heading": _fill(spec.heading or conv.table_heading, title=title, cn=cn_num(position), n=str(position),
                         number=number, **names),
        "number": number,
        "caption": _fill(conv.table_caption, **names),
        "note": _fill(spec.note, **names),
        "empty": table.empty,
        "empty_note": _fill(spec.empty_note, **names),
        "rows": [[v.value if isinstance(v, Value) else v for v in row] for row in sources],
        "sources": sources,
        "header": tuple(tuple(replace(cell, text=_fill(cell.text, **names)) for cell in row)
                        for row in spec.printed_header),
        "formats": column_formats(spec, conv.number_format),
        "spec": spec,
    }


def _missing(workbook: Workbook, input_id: str, field_id: str) -> Missing | None:
    """Return the placeholder of a required form field left blank (generated with --force), else None."""
    try:
        field = workbook.spec.input(input_id).field(field_id)
    except KeyError:
        return None
    return Missing(field.label) if field.required else None


def column_formats(spec: TableSpec, base: NumberFormat) -> list[NumberFormat]:
    """Return the number format of every printed column: the profile's, changed by the table's, then the column's."""
    table = base.updated(spec.number_format)
    return [table.updated(c.number_format) for c in spec.print_columns_in_order]


def _fill(pattern: str, **values: str) -> str:
    """Return pattern with {name} replaced by values (other braces stay as typed)."""
    for name, value in values.items():
        pattern = pattern.replace("{" + name + "}", value)
    return pattern


def _line_rows(table: Table) -> list[list[Any]]:
    spec: TableSpec = table.spec
    sides = []
    for block in spec.blocks:
        side = []
        coded = 0
        for line in _printed_lines(table, block):
            cells: list[Any] = []
            coded += bool(line.code)
            for column in block.columns:
                if column.role == "label":
                    cells.append(renumbered(line.label, coded, block.numbering)
                                 if block.numbering and line.code else line.label)
                elif column.role == "lineno":
                    cells.append(str(line.no))
                else:
                    cells.append(table.cell(line.id, column.id) if line.id else None)
            side.append(cells)
        sides.append(side)
    widths = [len(b.columns) for b in spec.blocks]
    if spec.omit_blank_lines:
        sides = _bottom_aligned(sides)
    return [sum((cells or [""] * w for cells, w in zip(pair, widths)), []) for pair in zip_longest(*sides)]


def _printed_lines(table: Table, block: Any) -> list[Any]:
    """Return a block's lines as printed: all of them, or (omit_blank_lines) no filler and no blank 科目 line."""
    if not table.spec.omit_blank_lines:
        return list(block.lines)
    return [line for line in block.lines if line.id and not (
        line.code and all(v.blank for v in table.lines.get(line.id, {}).values()))]


def _bottom_aligned(sides: list[list[list[Any]]]) -> list[list[list[Any]]]:
    """Return the sides padded with empty lines before their last line (the totals), so the totals pair up."""
    depth = max(len(side) for side in sides)
    return [side[:-1] + [[]] * (depth - len(side)) + side[-1:] for side in sides]


def _coded_rows(table: Table) -> list[list[Any]]:
    spec = table.spec
    if table.empty and not table.rows:
        return _empty_grid(spec, table)
    total = _total_line(table)
    rows = [[_coded_value(c, r.code, r.name, lambda cid, r=r: r.get(cid), spec)
             for c in spec.print_columns_in_order] for r in table.rows]
    return rows + [total] if spec.total_row == "bottom" else [total] + rows


def _total_line(table: Table) -> list[Any]:
    spec = table.spec
    return [_coded_value(c, "", spec.total_label, lambda cid: table.cell("total", cid), spec)
            for c in spec.print_columns_in_order]


def _empty_grid(spec: TableSpec, table: Table) -> list[list[Any]]:
    """Return the lines an empty coded table prints: none, its 合计 line (cells as typed: blank) or blank lines."""
    if spec.empty_rows == "total":
        return [_total_line(table)]
    return [[""] * len(spec.print_columns_in_order) for _ in range(int(spec.empty_rows))]


def _coded_value(column: Column, code: str, name: str, amount: Any, spec: TableSpec) -> Any:
    if column.role == "code_part":
        start, stop = column.part or (0, len(code))
        return "" if spec.code_parents == "blank" and stop < len(code) else code[start:stop]
    return code if column.role == "code" else name if column.role == "name" else amount(column.id)


def _econ_rows(table: Table) -> list[list[Any]]:
    spec = table.spec
    by_code = {r.code: r for r in table.rows}
    sides = [[[code, name, by_code[code].get("amount") if code in by_code else None]
              for code, name in block.codes] for block in spec.blocks]
    rows = [sum((cells or ["", "", ""] for cells in triple), []) for triple in zip_longest(*sides)]
    footer: list[Any] = [""] * spec.width
    for total in spec.totals:
        footer[spec.block_offset(total.label_block)] = total.label
        footer[spec.block_offset(total.value_block) + 2] = table.cell(total.id, "amount")
    return rows + [footer]


def _record_rows(table: Table) -> list[list[Any]]:
    return [[table.cell("row", c.id) for c in table.spec.print_columns_in_order]]
