"""Issue 23: a budget table's check messages state its own unit (元), and the 尾差 envelope follows the table's printed
precision: a tail that rounding to whole 元 can cause is a hint. The budget sample is typed in by its headers."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from genreport.amounts import NumberFormat
from genreport.checks import run_checks
from genreport.errors import SpecError
from genreport.excel import read_workbook
from genreport.spec import load_spec
from fill_support import workbook_by_headers

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "putuo-2025-budget" / "seed_data.yaml"


@pytest.fixture(scope="module")
def tailed(tmp_path_factory) -> Path:
    """The budget sample typed in by header, with 30101 基本工资 one 元 more than printed (合计 and 人员经费)."""
    sys.path.insert(0, str(ROOT / "samples"))
    from build_sample import generic_data

    data = generic_data(yaml.safe_load(SEED.read_text(encoding="utf-8")))
    row = next(r for r in data["tables"]["t08"]["rows"] if r["code"] == "30101")
    row.update(total=row["total"] + 1, personnel=row["personnel"] + 1)
    spec = load_spec("budget-shanghai")
    return workbook_by_headers(tmp_path_factory.mktemp("tail") / "budget.xlsx", "shanghai-district-budget", spec, data)


def _findings(path: Path, spec) -> list[tuple[str, str, str]]:
    workbook, issues = read_workbook(path, spec)
    return [(i.code, i.where, i.message) for i in issues + run_checks(workbook) if i.where.startswith("预算08表")]


def test_a_one_yuan_difference_in_a_yuan_table_says_yuan(tailed):
    found = _findings(tailed, load_spec("budget-shanghai"))
    assert [where for code, where, _ in found if code == "h-lei"] == ["预算08表!C7", "预算08表!D7"]
    messages = [m for code, _, m in found if code == "h-lei"]
    assert messages and all("（差 1.00 元）" in m for m in messages), messages


def test_a_one_yuan_tail_in_a_table_printed_in_whole_yuan_is_a_hint(tailed, tmp_path):
    whole = tmp_path / "whole-yuan.yaml"
    whole.write_text("extends: budget-shanghai\nid: whole-yuan\ntables:\n  - {id: t08, number_format: {decimals: 0}}\n", encoding="utf-8")
    found = _findings(tailed, load_spec(str(whole)))
    assert [code for code, _, _ in found if code.startswith("h-")] == []
    tails = [m for code, _, m in found if code == "rounding-difference"]
    assert tails and all("相差1.00元，在四舍五入范围内" in m for m in tails), found


def test_a_table_printed_in_whole_yuan_rounds_half_up(tmp_path):
    whole = NumberFormat(decimals=0)
    assert whole.format(Decimal("16231840.50")) == "16,231,841"
    assert whole.format(Decimal("0.49")) == "0"
    odd = tmp_path / "odd.yaml"
    odd.write_text("extends: budget-shanghai\nid: odd\ntables:\n  - {id: t08, number_format: {decimals: 7}}\n",
                   encoding="utf-8")
    with pytest.raises(SpecError, match="tables/7/number_format.decimals"):
        load_spec(str(odd))


def test_a_table_printed_in_whole_yuan_prints_its_cells_without_decimals():
    from genreport.render.ooxml import element, qname
    from genreport.render.tables import _add_row, _body_row

    table = element("w:tbl")
    _add_row(table, _body_row([None] * 3, [900] * 3), [Decimal("16231840.50"), None, "合计"],
             [NumberFormat(decimals=0)] * 3)
    assert ["".join(cell.itertext()) for cell in table.iter(qname("w:tc"))] == ["16,231,841", "", "合计"]
