"""Helpers for the check tests: the seed model, in-place edits that keep cell positions, findings lists."""

from __future__ import annotations

import copy
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from genreport.checks import run_checks
from genreport.excel import read_workbook
from genreport.model import Row, Value, Workbook
from genreport.report import Report
from genreport.spec import load_spec

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "xinxiang-2024" / "workbook.xlsx"


@lru_cache(maxsize=1)
def _seed() -> Workbook:
    workbook, issues = read_workbook(SAMPLE, load_spec("standard"))
    assert not [i for i in issues if i.severity == "error"], issues
    return workbook


def seed_model() -> Workbook:
    """Return a fresh deep copy of the sample workbook's model (safe to edit)."""
    return copy.deepcopy(_seed())


def _amount(value: Any) -> Any:
    if value is None or isinstance(value, (int, Decimal)):
        return value
    return Decimal(str(value))


def set_cell(workbook: Workbook, table_id: str, key: str, column: str, value: Any) -> str:
    """Set a table cell (key: a 科目编码 for coded/econ rows, else a line id); return its A1 cell."""
    table = workbook.tables[table_id]
    row = table.row(key) if table.spec.layout in ("coded", "econ") and key != "total" else None
    cells = row.cells if row is not None else table.lines[key]
    old = cells[column]
    cells[column] = Value(_amount(value), old.sheet, old.cell)
    return old.cell


def set_field(workbook: Workbook, input_id: str, field_id: str, value: Any) -> str:
    """Set an input-form field (money given as text becomes Decimal); return its A1 cell."""
    old = workbook.forms[input_id][field_id]
    kind = workbook.spec.input(input_id).field(field_id).type
    new = _amount(value) if kind == "money" else value
    workbook.forms[input_id][field_id] = Value(new, old.sheet, old.cell)
    return old.cell


def set_record(workbook: Workbook, list_id: str, index: int, field_id: str, value: Any) -> str:
    """Set a field of a list-sheet record; return its A1 cell."""
    record = workbook.lists[list_id][index]
    old = record[field_id]
    kind = workbook.spec.input(list_id).field(field_id).type
    record[field_id] = Value(_amount(value) if kind == "money" else value, old.sheet, old.cell)
    return old.cell


def rename_row(workbook: Workbook, table_id: str, code: str, name: str) -> None:
    """Change the 科目名称 of a coded row."""
    row = workbook.tables[table_id].row(code)
    assert isinstance(row, Row)
    row.name = name


def findings(workbook: Workbook, severities: tuple[str, ...] = ("error", "warning", "info")) -> list[list[str]]:
    """Return [[code, sheet, cell], …] of the checks (not the reader) at the given severities."""
    report = Report("test", [i for i in run_checks(workbook) if i.severity in severities])
    return report.flatten(["code", "sheet", "cell"])


def problems(workbook: Workbook) -> list[list[str]]:
    """Return the error and warning findings as [[code, sheet, cell], …]."""
    return findings(workbook, ("error", "warning"))
