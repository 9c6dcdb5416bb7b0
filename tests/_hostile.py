"""Helpers for the hostile-input tests: run the CLI in-process or as a subprocess, edit sample copies."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from genreport.commands import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "xinxiang-2024" / "workbook.xlsx"
TRACEBACK = "Traceback (most recent call last)"


@dataclass
class Run:
    """The outcome of one CLI run."""

    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        """Return stdout and stderr together."""
        return self.out + self.err


def run_cli(*args: object) -> Run:
    """Run `genreport args…` in-process through the real entry point and return code and output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
        else:  # pragma: no cover - main always exits
            code = None
    assert isinstance(code, int), f"main() must exit with an int, got {code!r}"
    return Run(code, out.getvalue(), err.getvalue())


def run_subprocess(*args: object, cwd: Path | None = None) -> Run:
    """Run `python -m genreport args…` in a real subprocess."""
    proc = subprocess.run([sys.executable, "-m", "genreport", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", timeout=120, cwd=cwd)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def assert_clean_failure(result: Run, code: int, *fragments: str) -> None:
    """Assert exit code, no traceback, no internal error, and every fragment in the output."""
    assert result.code == code, result.text
    assert TRACEBACK not in result.text
    assert "程序内部出错" not in result.text, result.text
    for fragment in fragments:
        assert fragment in result.text, f"{fragment!r} not in:\n{result.text}"
    if code == 2:
        errors = [line for line in result.err.splitlines() if line.startswith("错误：")]
        assert len(errors) == 1 and errors[0].endswith("。") and errors[0].count("。") == 1, \
            f"exit 2 must print exactly one one-sentence message:\n{result.err}"


def copy_sample(tmp_path: Path, name: str = "workbook.xlsx") -> Path:
    """Return a fresh copy of the sample workbook in tmp_path."""
    target = tmp_path / name
    shutil.copyfile(SAMPLE, target)
    return target


def edited_sample(tmp_path: Path, edit: Callable[[Any], None], name: str = "edited.xlsx") -> Path:
    """Return a copy of the sample workbook after edit(openpyxl_book), saved by openpyxl."""
    book = openpyxl.load_workbook(SAMPLE)
    edit(book)
    target = tmp_path / name
    book.save(target)
    return target


def replace_part(source: Path, target: Path, part: str, data: bytes) -> Path:
    """Copy the .xlsx source to target with one zip member replaced by data."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == part else old.read(info.filename))
    return target


def sheet_part(path: Path, sheet: str) -> str:
    """Return the zip member name (xl/worksheets/sheetN.xml) of a sheet in the sample layout."""
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


def patch_cell(source: Path, target: Path, sheet: str, ref: str, cell_xml: str) -> Path:
    """Copy source to target with the XML element of one cell (e.g. C8) replaced by cell_xml."""
    part = sheet_part(source, sheet)
    xml = zipfile.ZipFile(source).read(part).decode("utf-8")
    pattern = re.compile(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
    assert len(pattern.findall(xml)) == 1, f"{sheet}!{ref} not found once in {part}"
    return replace_part(source, target, part, pattern.sub(lambda _: cell_xml, xml).encode("utf-8"))


def inline_text(ref: str, escaped: str) -> str:
    """Return the XML of an inline-string cell; escaped may hold Excel's _xHHHH_ escapes for control characters."""
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escaped}</t></is></c>'


def check_json(path: Path) -> tuple[Run, list[dict[str, str]]]:
    """Run `genreport check --format json` in-process; return the run and its issues."""
    result = run_cli("check", path, "--format", "json")
    assert TRACEBACK not in result.text
    return result, json.loads(result.out)["issues"]


def issues_at(issues: list[dict[str, str]], sheet: str, cell: str) -> dict[str, dict[str, str]]:
    """Return {code: issue} of the issues reported on one cell."""
    return {i["code"]: i for i in issues if i["sheet"] == sheet and i["cell"] == cell}


def row_of(sheet: str, label: str, column: int = 1, path: Path = SAMPLE) -> int:
    """Return the row of the sample sheet whose cell in column holds label (a 科目编码 or an A-column label)."""
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    for number, row in enumerate(ws.iter_rows(min_col=column, max_col=column, values_only=True), start=1):
        if row and str(row[0]).strip() == label:
            return number
    raise AssertionError(f"{label} not found on {sheet}")
