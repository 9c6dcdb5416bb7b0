"""Hierarchy sums of the 科目 tables (合计 = Σ类, 类 = Σ款, 款 = Σ项, per money column) and the T06 footers."""

from __future__ import annotations

from collections.abc import Iterator

from ..issues import Issue
from ..model import Row, Table, Workbook
from . import register
from ..catalogue import Catalogue, catalogue_for
from ..tablecells import code_cell, line_label, row_label
from .compare import Identity, iter_findings
from ..operands import Operand, table_operand

CHILDREN = "下级科目合计"


@register("hierarchy")
def check_hierarchy(workbook: Workbook) -> Iterator[Issue]:
    """Yield a finding for every 类/款/合计 that differs from the sum of its children."""
    catalogue = catalogue_for(workbook.spec)
    section = catalogue.section("hierarchy", {})
    for table in _tables(workbook, section.get("tables", [])):
        if table.rows and "total" not in table.lines:
            yield _total_missing(table, catalogue)
        for column in table.spec.money_columns:
            yield from iter_findings(coded_sums(table, column.id), catalogue)
    for table in _tables(workbook, section.get("econ", [])):
        yield from iter_findings(econ_sums(table), catalogue)
        yield from iter_findings(footer_sums(table, section.get("footers", {})), catalogue)


def _tables(workbook: Workbook, ids: list[str]) -> list[Table]:
    return [workbook.tables[t] for t in ids if t in workbook.tables]



def _operand(table: Table, row: Row, column: str) -> Operand:
    return table_operand(table, row.get(column), row_label(table, row, column))


def coded_sums(table: Table, column: str) -> Iterator[Identity]:
    """Yield 款 = Σ项, 类 = Σ款 (for parents that have children) and 合计 = Σ类 for one column."""
    for parent in table.rows:
        if parent.level not in (1, 2):
            continue
        children = [r for r in table.rows if r.level == parent.level + 1 and r.code.startswith(parent.code)]
        if children:
            code = "h-lei" if parent.level == 1 else "h-kuan"
            yield Identity(code, "=", [_operand(table, parent, column)],
                           [_operand(table, r, column) for r in children], rhs_label=CHILDREN)
    if "total" in table.lines:
        total = table_operand(table, table.cell("total", column), line_label(table.spec, "total", column))
        classes = [_operand(table, r, column) for r in table.rows if r.level == 1]
        yield Identity("h-total", "=", [total], classes, rhs_label="各类合计")


def econ_sums(table: Table) -> Iterator[Identity]:
    """Yield 经济分类 类 = Σ款 for every class row of an econ table."""
    for parent in table.rows:
        if len(parent.code) != 3:
            continue
        children = [r for r in table.rows if len(r.code) == 5 and r.code.startswith(parent.code)]
        if children:
            yield Identity("h-econ", "=", [_operand(table, parent, "amount")],
                           [_operand(table, r, "amount") for r in children], rhs_label=CHILDREN)


def footer_sums(table: Table, codes: dict[str, str]) -> Iterator[Identity]:
    """Yield each footer total (人员经费合计, 公用经费合计) = Σ of the classes the spec lists for it."""
    for total in table.spec.totals:
        if total.id not in table.lines or total.id not in codes:
            continue
        lhs = table_operand(table, table.cell(total.id, "amount"), total.label)
        rhs = [_operand(table, r, "amount") for r in table.rows if r.code in total.classes]
        yield Identity(codes[total.id], "=", [lhs], rhs)


def _total_missing(table: Table, catalogue: Catalogue) -> Issue:
    first = min(table.rows, key=lambda r: r.sheet_row)
    at = code_cell(table, first).at.shifted(rows=-1)
    return catalogue.issue("total-missing", at)
