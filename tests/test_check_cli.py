"""genreport check: text grouped by sheet with errors first, JSON, exit codes, --annotate; generation refuses errors."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from genreport.api import check_workbook
from genreport.commands import cli

FILLS = {"FF9999": "error", "FFE699": "warning"}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed entry point as a user would (exit codes, stderr)."""
    return subprocess.run([sys.executable, "-m", "genreport", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def _row(data, table, code):
    return next(r for r in data["tables"][table]["rows"] if r["code"] == code)


def _inject(data):
    """An error in 公开05表 (201 基本支出), a warning in 公开06表 (30231 > 三公), an error in an input sheet."""
    _row(data, "t05", "201")["basic"] = Decimal("985.28")
    next(r for r in data["tables"]["t06"]["rows"] if r["code"] == "30231")["amount"] = Decimal("3.00")
    data["forms"]["procurement"]["goods"] = Decimal("5.00")


@pytest.fixture
def broken(make_workbook) -> Path:
    return make_workbook(_inject, name="有错误的工作簿.xlsx")


def test_valid_sample_exits_0(sample_path):
    result = CliRunner().invoke(cli, ["check", str(sample_path)])
    assert result.exit_code == 0, result.output
    assert "错误 0 处" in result.output and "可以生成报告" in result.output


def test_injected_error_prints_sheet_and_cell_and_exits_1(broken):
    result = run("check", str(broken))
    assert result.returncode == 1
    out = result.stdout
    assert "【错误】公开05表" in out
    assert "  D8：201 一般公共服务支出 基本支出 985.28 ≠ 下级科目合计 982.28（差 3.00 万元）  [h-lei]" in out
    assert "【错误】政府采购" in out and "B3：" in out
    assert "【警告】公开06表" in out and "F30：" in out
    assert out.index("【错误】") < out.index("【警告】") < out.index("【提示】")
    assert out.index("【错误】公开05表") < out.index("【错误】政府采购"), "sheets in workbook order"


def test_no_info_hides_rounding(broken):
    result = CliRunner().invoke(cli, ["check", str(broken), "--no-info"])
    assert result.exit_code == 1
    assert "【提示】" not in result.output and "【错误】公开05表" in result.output


def test_json_is_the_library_report(broken):
    result = CliRunner().invoke(cli, ["check", str(broken), "--format", "json"])
    assert result.exit_code == 1
    model, report = check_workbook(broken)
    report.sheet_order = model.spec.sheet_names
    assert json.loads(result.stdout) == json.loads(report.to_json())
    issue = next(i for i in json.loads(result.stdout)["issues"] if i["code"] == "h-lei")
    assert issue == {"code": "h-lei", "severity": "error", "sheet": "公开05表", "cell": "D8", "check": "h-lei",
                     "expected": "982.28", "actual": "985.28",
                     "message": "201 一般公共服务支出 基本支出 985.28 ≠ 下级科目合计 982.28（差 3.00 万元）"}


def _highlighted(path: Path) -> dict[str, str]:
    book = openpyxl.load_workbook(path)
    marked = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                color = (cell.fill.fgColor.rgb or "")[-6:] if cell.fill and cell.fill.fill_type else ""
                if color in FILLS:
                    marked[f"{ws.title}!{cell.coordinate}"] = FILLS[color]
    return marked


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_annotate_highlights_exactly_the_reported_cells(broken, tmp_path):
    before = _digest(broken)
    target = tmp_path / "标注.xlsx"
    result = run("check", str(broken), "--annotate", str(target))
    assert result.returncode == 1
    _, report = check_workbook(broken)
    reported = {i.where: i.severity for i in report.issues if i.severity in ("error", "warning") and i.cell}
    assert {"公开05表!D8", "公开05表!C8", "公开06表!F30", "政府采购!B3"} <= set(reported)
    highlighted = _highlighted(target)
    assert highlighted == reported
    assert f"标出 {len(reported)} 个单元格" in result.stdout
    book = openpyxl.load_workbook(target)
    assert "985.28 ≠ 下级科目合计 982.28" in book["公开05表"]["D8"].comment.text
    assert _digest(broken) == before, "the input workbook must not change"


def test_annotated_copy_checks_the_same(broken, tmp_path):
    target = tmp_path / "copy.xlsx"
    CliRunner().invoke(cli, ["check", str(broken), "--annotate", str(target)])
    flat = ["code", "severity", "sheet", "cell"]
    assert sorted(check_workbook(target)[1].flatten(flat)) == sorted(check_workbook(broken)[1].flatten(flat))


def test_annotate_default_path_beside_the_workbook(broken):
    result = CliRunner().invoke(cli, ["check", str(broken), "--annotate"])
    assert result.exit_code == 1
    assert broken.with_name("有错误的工作簿.标注.xlsx").exists()


def test_annotate_refuses_to_overwrite_the_input(broken):
    before = _digest(broken)
    result = run("check", str(broken), "--annotate", str(broken))
    assert result.returncode == 2
    assert "错误：" in result.stderr and "Traceback" not in result.stderr
    assert _digest(broken) == before


def test_sample_annotation_marks_nothing(sample_path, tmp_path):
    target = tmp_path / "sample.xlsx"
    result = CliRunner().invoke(cli, ["check", str(sample_path), "--annotate", str(target)])
    assert result.exit_code == 0
    assert _highlighted(target) == {}


def test_unreadable_file_exits_2(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("这不是工作簿", encoding="utf-8")
    result = run("check", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith("错误：") and "Traceback" not in result.stderr


def test_generation_refuses_a_workbook_with_errors(broken, tmp_path):
    out = tmp_path / "out"
    result = run(str(broken), "-o", str(out))
    assert result.returncode == 1
    assert "D8：201 一般公共服务支出 基本支出 985.28" in result.stdout
    assert "未生成文档" in result.stderr
    assert not out.exists() or not list(out.glob("*.docx"))


def test_force_generates_and_prints_the_errors(broken, tmp_path):
    result = CliRunner().invoke(cli, [str(broken), "-o", str(tmp_path), "--force"])
    assert result.exit_code == 1
    assert "D8：201 一般公共服务支出 基本支出 985.28" in result.output
    assert [p.name for p in tmp_path.glob("*.docx")] == ["新乡市行政审批和政务信息管理局2024年度部门决算.docx"]
