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


def shanghai_model() -> Workbook:
    """Return the model of the synthetic 上海区级 department (tests/shanghai_support.py), without any file."""
    from shanghai_support import shanghai_data

    return model_from_data(load_spec("shanghai"), shanghai_data())


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
    report = Report("test", [i for i in checked(workbook) if i.severity in severities])
    return report.flatten(["code", "sheet", "cell"])


def checked(workbook: Workbook) -> list:
    """Return the checks' issues as a report would have them: asking only for the texts the template prints."""
    from genreport.profile import list_profiles
    from genreport.render.printed import PrintedFields

    profile = next(p for p in list_profiles() if p.workbook_spec.path == workbook.spec.path)
    return run_checks(workbook, PrintedFields(workbook, profile, profile.template_path))


def problems(workbook: Workbook) -> list[list[str]]:
    """Return the error and warning findings as [[code, sheet, cell], …]."""
    return findings(workbook, ("error", "warning"))


# ---- the model of plain workbook data, laid out exactly as excel.write_workbook writes it -------------

def _a1(row: int, col: int) -> str:
    from genreport.tablecells import column_letters

    return f"{column_letters(col)}{row}"


def model_from_data(spec: Any, data: dict[str, Any]) -> Workbook:
    """Return the Workbook read_workbook would return for write_workbook(spec, data), without any file."""
    workbook = Workbook(spec=spec, source="memory")
    for table_spec in spec.tables:
        workbook.tables[table_spec.id] = _table(table_spec, data.get("tables", {}).get(table_spec.id, {}))
    for input_spec in spec.inputs:
        if input_spec.layout == "form":
            values = data.get("forms", {}).get(input_spec.id, {})
            workbook.forms[input_spec.id] = {
                f.id: _field_value(f, values.get(f.id), input_spec.sheet, _a1(3 + i, 2))
                for i, f in enumerate(input_spec.fields)}
        elif not input_spec.optional or input_spec.id in data.get("lists", {}):
            workbook.lists[input_spec.id] = [
                {f.id: _field_value(f, rec.get(f.id), input_spec.sheet, _a1(3 + r, j + 1))
                 for j, f in enumerate(input_spec.fields)}
                for r, rec in enumerate(data.get("lists", {}).get(input_spec.id, []))]
    return workbook


def _field_value(field: Any, raw: Any, sheet: str, cell: str) -> Value:
    if raw is None and field.type == "choice":
        raw = field.default
    if raw is not None and field.type == "money":
        raw = Decimal(str(raw))
    if field.type == "paragraphs" and isinstance(raw, str):
        raw = [raw]
    return Value(raw, sheet, cell)


def _table(spec: Any, data: dict[str, Any]) -> Any:
    from genreport.model import Table

    table = Table(spec=spec)
    first = 4 + len(spec.header)
    lines = data.get("lines", {})
    if spec.layout == "lines":
        for index, block in enumerate(spec.blocks):
            offset = spec.block_offset(index)
            for i, line in enumerate(block.lines):
                if line.id:
                    table.lines[line.id] = {c.id: Value(_amount(lines.get(line.id, {}).get(c.id)), spec.sheet,
                                                        _a1(first + i, offset + j + 1))
                                            for j, c in enumerate(block.columns) if c.role == "money"}
    elif spec.layout == "coded":
        _coded(spec, table, data, first)
    elif spec.layout == "econ":
        _econ(spec, table, data, first)
    else:
        table.lines["row"] = {c.id: Value(_amount(lines.get("row", {}).get(c.id)), spec.sheet, _a1(first, j + 1))
                              for j, c in enumerate(spec.columns)}
    return table


def _coded(spec: Any, table: Any, data: dict[str, Any], first: int) -> None:
    col = {c.id: i + 1 for i, c in enumerate(spec.columns)}
    total = data.get("lines", {}).get("total", {})
    table.lines["total"] = {c.id: Value(_amount(total.get(c.id)), spec.sheet, _a1(first, col[c.id]))
                            for c in spec.money_columns}
    for i, record in enumerate(data.get("rows", []), start=1):
        cells = {c.id: Value(_amount(record.get(c.id)), spec.sheet, _a1(first + i, col[c.id]))
                 for c in spec.money_columns}
        table.rows.append(Row(code=record["code"], name=record["name"], cells=cells, sheet_row=first + i))
    table.rows.sort(key=lambda r: (r.code[:3], r.code[:5], r.code))


def _econ(spec: Any, table: Any, data: dict[str, Any], first: int) -> None:
    amounts = {r["code"]: r.get("amount") for r in data.get("rows", [])}
    for index, block in enumerate(spec.blocks):
        offset = spec.block_offset(index)
        for i, (code, name) in enumerate(block.codes):
            cell = Value(_amount(amounts.get(code)), spec.sheet, _a1(first + i, offset + 3))
            table.rows.append(Row(code=code, name=name, cells={"amount": cell}, sheet_row=first + i))
    footer = first + max(len(b.codes) for b in spec.blocks)
    for total in spec.totals:
        raw = data.get("lines", {}).get(total.id, {}).get("amount")
        table.lines[total.id] = {"amount": Value(_amount(raw), spec.sheet,
                                                 _a1(footer, spec.block_offset(total.value_block) + 3))}
