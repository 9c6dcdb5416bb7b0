"""Issue 23: a table is described once. Each bundled profile's blank workbook, typed in by its header words and row
labels as an accountant does (tests/fill_support.py), reads back with every figure under the column it is labelled."""

from __future__ import annotations

from decimal import Decimal
from itertools import count
from typing import Any

import pytest

from genreport.api import check_workbook
from genreport.errors import SpecError
from genreport.profile import list_profiles, load_profile
from genreport.spec import load_spec
from fill_support import workbook_by_headers

PROFILES = [p.id for p in list_profiles()]
FIRST_CODE = {"function": ("201", "一般公共服务支出"), "economic": ("301", "工资福利支出")}


def _figures(spec: Any) -> dict[str, dict[str, Any]]:
    """Return a distinct amount for every money cell an accountant can fill once in each table."""
    numbers = (Decimal(n) + Decimal("0.25") for n in count(11))
    tables: dict[str, dict[str, Any]] = {}
    for table in spec.tables:
        if table.layout == "lines":
            tables[table.id] = {"lines": {line.id: {c.id: next(numbers) for c in block.columns if c.role == "money"}
                                          for block in table.blocks for line in block.lines if line.id}}
        elif table.layout == "record":
            tables[table.id] = {"lines": {"row": {c.id: next(numbers) for c in table.columns}}}
        elif table.layout == "coded":
            code, name = FIRST_CODE[table.domain or "function"]
            money = table.money_columns
            tables[table.id] = {"lines": {"total": {c.id: next(numbers) for c in money}},
                                "rows": [{"code": code, "name": name, **{c.id: next(numbers) for c in money}}]}
        else:
            rows = [{"code": block.codes[1][0], "amount": next(numbers)} for block in table.blocks]
            tables[table.id] = {"rows": rows, "lines": {t.id: {"amount": next(numbers)} for t in table.totals}}
    return tables


def _read_back(table: Any, data: dict[str, Any]) -> list[tuple[str, str, Any, Any]]:
    """Return (row, column id, typed, read) for every figure typed into the table."""
    found = []
    for line, cells in data.get("lines", {}).items():
        for column, typed in cells.items():
            found.append((line, column, typed, table.lines.get(line, {}).get(column)))
    rows = {row.code: row for row in table.rows}
    for record in data.get("rows", []):
        for column, typed in record.items():
            if column not in ("code", "name"):
                row = rows.get(record["code"])
                found.append((record["code"], column, typed, row.cells.get(column) if row else None))
    return [(line, column, typed, read.value if read is not None else None) for line, column, typed, read in found]


@pytest.mark.parametrize("profile", PROFILES)
def test_every_table_filled_by_its_header_reads_back_under_the_labelled_column(tmp_path, profile):
    spec = load_profile(profile).workbook_spec
    tables = _figures(spec)
    source = workbook_by_headers(tmp_path / "filled.xlsx", profile, spec, {"tables": tables})
    workbook, report = check_workbook(source)
    assert [i for i in report.issues if i.code.startswith("header")] == []
    wrong = [f"{table_id} {line}.{column}: 填 {typed}，读出 {read}"
             for table_id, data in tables.items()
             for line, column, typed, read in _read_back(workbook.tables[table_id], data) if read != typed]
    assert wrong == []


def _spec_file(tmp_path, text: str):
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_extending_spec_cannot_give_a_header_without_its_columns(tmp_path):
    path = _spec_file(tmp_path, "extends: standard\nid: mine\ntables:\n  - id: t09\n    header:\n"
                      "      - [预算数, 决算数, 预算数, 决算数, 预算数, 决算数, 预算数, 决算数, 预算数, 决算数, 预算数, 决算数]\n")
    with pytest.raises(SpecError, match="表 t09 只改了表头（header）.*同一处写出两者"):
        load_spec(str(path))


def test_an_extending_spec_cannot_reorder_columns_under_an_inherited_header(tmp_path):
    columns = "".join(f"      - {{id: {i}, role: money}}\n" for i in (
        "actual_total", "actual_abroad", "actual_car", "actual_car_buy", "actual_car_run", "actual_reception",
        "budget_total", "budget_abroad", "budget_car", "budget_car_buy", "budget_car_run", "budget_reception"))
    path = _spec_file(tmp_path, f"extends: standard\nid: mine\ntables:\n  - id: t09\n    columns:\n{columns}")
    with pytest.raises(SpecError, match="表 t09 只改了列（columns）"):
        load_spec(str(path))


def test_a_header_row_must_cover_every_column(tmp_path):
    path = _spec_file(tmp_path, "extends: standard\nid: mine\ntables:\n  - id: t08\n    header:\n"
                      "      - [功能分类科目编码, 科目名称, 合计, 基本支出]\n    columns:\n"
                      "      - {id: code, role: code}\n      - {id: name, role: name}\n      - {id: total, role: money}\n"
                      "      - {id: basic, role: money}\n      - {id: project, role: money}\n")
    with pytest.raises(SpecError, match="表头第1行（含上面跨行的格）共4列，表格有5列"):
        load_spec(str(path))


def test_an_extending_spec_may_change_the_rows_of_an_economic_table_alone(tmp_path):
    path = _spec_file(tmp_path, "extends: standard\nid: mine\ntables:\n  - id: t06\n    blocks:\n"
                      "      - [[\"301\", 工资福利支出], [\"30101\", 基本工资]]\n"
                      "      - [[\"302\", 商品和服务支出]]\n      - [[\"310\", 资本性支出]]\n")
    assert [code for code, _ in load_spec(str(path)).table("t06").blocks[0].codes] == ["301", "30101"]
