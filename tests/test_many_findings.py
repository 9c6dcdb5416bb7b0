"""Thousands of findings in one sheet: each bad row is one finding, at its cell, in sheet order (issue 31).

The reader used to look through every earlier finding for each cell it read (quadratic: minutes for a few
thousand bad rows); these tests pin what the findings are, whatever the bookkeeping behind them.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from genreport.api import check_workbook

#: Issue 31's 5,000 bad input rows, on the sample's 年初预算 (which already has 32); the reader's guard allows
#: 10,000 rows a sheet (excel/guard.py MAX_SHEET_ROWS), its cell limits guard the memory.
BAD_ROWS = 5000


def _header_columns(ws: openpyxl.worksheet.worksheet.Worksheet) -> tuple[int, dict[str, int]]:
    """Return the header row of a list sheet and its columns by the labels a person sees."""
    for row in ws.iter_rows(min_row=1, max_row=5):
        labels = {str(c.value).strip(): c.column for c in row if c.value}
        if "科目编码" in labels:
            return row[0].row, labels
    raise AssertionError("年初预算 has no 科目编码 header")


@pytest.fixture(scope="module")
def with_bad_rows(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The sample with BAD_ROWS extra 年初预算 lines that name a 科目 but not its code; returns (path, first row)."""
    book = openpyxl.load_workbook(sample_path)
    ws = book["年初预算"]
    _, columns = _header_columns(ws)
    first = ws.max_row + 1
    for row in range(first, first + BAD_ROWS):
        ws.cell(row, columns["预算类型"], "一般公共预算")
        ws.cell(row, columns["科目名称"], f"新增项目{row}")
        ws.cell(row, columns["年初预算数"], 1.5)
    path = tmp_path_factory.mktemp("many") / "many.xlsx"
    book.save(path)
    return path, first


def test_each_bad_row_is_one_finding_at_its_code_cell_in_row_order(with_bad_rows: tuple[Path, int]) -> None:
    path, first = with_bad_rows
    _, report = check_workbook(path)
    missing = [i for i in report.issues if i.sheet == "年初预算" and i.code == "required-missing"]
    code_column = "B"
    assert [i.cell for i in missing] == [f"{code_column}{row}" for row in range(first, first + BAD_ROWS)]
    assert all(i.severity == "error" and "科目编码" in i.message for i in missing)


def test_the_other_findings_are_those_of_the_sample(with_bad_rows: tuple[Path, int], sample_path: Path) -> None:
    path, _ = with_bad_rows
    _, report = check_workbook(path)
    _, plain = check_workbook(sample_path)
    rest = [(i.code, i.sheet, i.cell, i.message) for i in report.issues
            if not (i.sheet == "年初预算" and i.code == "required-missing")]
    assert rest == [(i.code, i.sheet, i.cell, i.message) for i in plain.issues]
    assert report.issues[:len(report.errors)] == report.errors  # errors first, as before
