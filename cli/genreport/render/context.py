"""Build the template context: document metadata, every table's printable rows, and the figures."""

from __future__ import annotations

from functools import lru_cache
from itertools import zip_longest
from typing import Any

import yaml

from ..figures import compute_figures
from ..model import Table, Workbook
from ..profile import load_profile
from ..resources import specs_dir
from ..spec import TableSpec
from .charts import build_charts

SUBJECT = {"部门": "我部门", "单位": "我单位"}


def build_context(workbook: Workbook) -> dict[str, Any]:
    """Return everything the template may use (see docs/模板变量.md)."""
    kind = workbook.value("profile", "kind") or "部门"
    org_self = SUBJECT.get(kind, "我部门")
    fig = compute_figures(workbook)
    return {
        "dept_name": workbook.dept_name,
        "year": workbook.year,
        "compiled_on": workbook.value("profile", "compiled_on") or "",
        "kind": kind,
        "org_self": org_self,
        "org_this": f"本{kind}",
        "unit_list": [{"name": r["name"].value, "note": (r.get("note") and r["note"].value) or ""}
                      for r in workbook.lists.get("unit_list", []) if r.get("name") and r["name"].value],
        "duties": workbook.value("profile", "duties") or [],
        "structure": workbook.value("profile", "structure") or [],
        "units": workbook.value("profile", "units") or [],
        "tables": {tid: _table_context(t, org_self) for tid, t in workbook.tables.items()},
        "fig": fig,
        "charts": build_charts(fig),
        "glossary": load_glossary(load_profile(workbook.profile).glossary),
    }


@lru_cache(maxsize=4)
def load_glossary(name: str) -> list[dict[str, str]]:
    """Return the 名词解释 entries [{term, text}] of a glossary file in workbook_specs/glossary/."""
    data = yaml.safe_load((specs_dir() / "glossary" / f"{name}.yaml").read_text(encoding="utf-8"))
    return [{"term": e["term"], "text": e["text"]} for e in data["entries"]]


def _table_context(table: Table, org_self: str) -> dict[str, Any]:
    spec = table.spec
    rows = {"lines": _line_rows, "coded": _coded_rows, "econ": _econ_rows, "record": _record_rows}[spec.layout](table)
    return {
        "title": spec.title,
        "number": spec.number,
        "note": spec.note,
        "empty": table.empty,
        "empty_note": spec.empty_note.replace("{org}", org_self),
        "rows": rows,
    }


def _line_rows(table: Table) -> list[list[Any]]:
    spec: TableSpec = table.spec
    sides = []
    for block in spec.blocks:
        side = []
        for line in block.lines:
            cells: list[Any] = []
            for column in block.columns:
                if column.role == "label":
                    cells.append(line.label)
                elif column.role == "lineno":
                    cells.append(str(line.no))
                else:
                    cells.append(table.cell(line.id, column.id).value if line.id else None)
            side.append(cells)
        sides.append(side)
    widths = [len(b.columns) for b in spec.blocks]
    return [sum((cells or [""] * w for cells, w in zip(pair, widths)), []) for pair in zip_longest(*sides)]


def _coded_rows(table: Table) -> list[list[Any]]:
    if table.empty and not table.rows:
        return []
    money = [c.id for c in table.spec.money_columns]
    rows = [["", "合计", *(table.cell("total", c).value for c in money)]]
    rows += [[r.code, r.name, *(r.get(c).value for c in money)] for r in table.rows]
    return rows


def _econ_rows(table: Table) -> list[list[Any]]:
    spec = table.spec
    by_code = {r.code: r for r in table.rows}
    sides = [[[code, name, by_code[code].get("amount").value if code in by_code else None]
              for code, name in block.codes] for block in spec.blocks]
    rows = [sum((cells or ["", "", None] for cells in triple), []) for triple in zip_longest(*sides)]
    footer: list[Any] = [""] * spec.width
    for total in spec.totals:
        footer[spec.block_offset(total.label_block)] = total.label
        footer[spec.block_offset(total.value_block) + 2] = table.cell(total.id, "amount").value
    return rows + [footer]


def _record_rows(table: Table) -> list[list[Any]]:
    return [[table.cell("row", c.id).value for c in table.spec.columns]]
