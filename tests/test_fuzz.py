"""Property-based fuzzing: random corruptions of the sample workbook always end in exit 0, 1 or 2 with a message.

The example count is fixed and the search derandomized so CI is reproducible and bounded (well under 60 s).
Set GENREPORT_FUZZ_EXAMPLES=500 (and GENREPORT_FUZZ_RANDOM=1) locally to hunt for more.
"""

from __future__ import annotations

import datetime
import io
import os
import tempfile
from pathlib import Path

import openpyxl
import pytest
from _hostile import SAMPLE, TRACEBACK, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

EXAMPLES = int(os.environ.get("GENREPORT_FUZZ_EXAMPLES", "40"))
SAMPLE_BYTES = SAMPLE.read_bytes()
SHEETS = openpyxl.load_workbook(io.BytesIO(SAMPLE_BYTES), read_only=True).sheetnames

_TRICKY_TEXT = ["", " ", "abc", "1.2.3", "—", "-", "－", "１２３.４５", "1,234.5", "  12  ", "(1,000.00)", "（5）",
                "1e12", "1e400", "-0", "0.005", "NaN", "inf", "#REF!", "#DIV/0!", "=A1+B2", "=SUM(C8:C9)", "=1/0",
                "=", "合计", "注：", "说明：无", "201", "2010301", "99999999", "&<>\"'", "{{ x }}", "{% if %}",
                "😀", "\u200b", "\u3000", "_x0001_", "x" * 40_000, "一\n二\n\n三", "部门", "单位", "central", "2024"]

values = st.one_of(
    st.none(),
    st.sampled_from(_TRICKY_TEXT),
    st.text(max_size=30).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**9, max_value=10**9),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2100, 1, 1)),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 1, 1)),
)

cell_edits = st.tuples(st.just("cell"), st.sampled_from(SHEETS), st.integers(1, 60), st.integers(1, 14), values)
structure_edits = st.one_of(
    st.tuples(st.just("delete_sheet"), st.sampled_from(SHEETS)),
    st.tuples(st.just("rename_sheet"), st.sampled_from(SHEETS), st.sampled_from(["Sheet1", "公开5表", "x", "公开10表"])),
    st.tuples(st.just("insert_rows"), st.sampled_from(SHEETS), st.integers(1, 40), st.integers(1, 3)),
    st.tuples(st.just("delete_rows"), st.sampled_from(SHEETS), st.integers(1, 40), st.integers(1, 3)),
    st.tuples(st.just("insert_cols"), st.sampled_from(SHEETS), st.integers(1, 6)),
    st.tuples(st.just("delete_cols"), st.sampled_from(SHEETS), st.integers(1, 6)),
    st.tuples(st.just("merge"), st.sampled_from(SHEETS), st.integers(1, 40), st.integers(1, 8)),
    st.tuples(st.just("hide_row"), st.sampled_from(SHEETS), st.integers(1, 40)),
)
edits = st.lists(st.one_of(cell_edits, cell_edits, cell_edits, structure_edits), min_size=1, max_size=8)


def _apply(book: openpyxl.Workbook, edit: tuple) -> None:
    kind, sheet, *args = edit
    if sheet not in book.sheetnames:
        return
    ws = book[sheet]
    if kind == "cell":
        row, col, value = args
        if not ws.cell(row=row, column=col).coordinate in ws.merged_cells:
            ws.cell(row=row, column=col).value = value
    elif kind == "delete_sheet":
        del book[sheet]
    elif kind == "rename_sheet" and args[0] not in book.sheetnames:
        ws.title = args[0]
    elif kind in ("insert_rows", "delete_rows", "insert_cols", "delete_cols"):
        getattr(ws, kind)(*args)
    elif kind == "merge":
        row, col = args
        ws.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col + 1)
    elif kind == "hide_row":
        ws.row_dimensions[args[0]].hidden = True


def _corrupted(folder: Path, changes: list[tuple]) -> Path:
    book = openpyxl.load_workbook(io.BytesIO(SAMPLE_BYTES))
    for edit in changes:
        _apply(book, edit)
    path = folder / "fuzzed.xlsx"
    book.save(path)
    return path


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("GENREPORT_FUZZ_RANDOM"),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], database=None)
@given(changes=edits, force=st.booleans())
def test_corrupted_workbook_never_crashes(changes, force):
    with tempfile.TemporaryDirectory() as folder:
        path = _corrupted(Path(folder), changes)
        before = path.read_bytes()
        out = Path(folder) / "out"
        result = run_cli(path, "-o", out, *(["--force"] if force else []))
        assert result.code in (0, 1, 2), result.text
        assert TRACEBACK not in result.text
        assert "程序内部出错" not in result.text, f"crash on {changes!r}:\n{result.text}"
        if result.code == 0:
            assert [p.suffix for p in out.iterdir()] == [".docx"]
        else:
            assert result.err.strip() or "错误" in result.out
        assert path.read_bytes() == before, "the input workbook must never be modified"



@settings(max_examples=max(EXAMPLES // 2, 10), deadline=None, derandomize=not os.environ.get("GENREPORT_FUZZ_RANDOM"),
          suppress_health_check=[HealthCheck.too_slow], database=None)
@given(flips=st.lists(st.tuples(st.integers(0, len(SAMPLE_BYTES) - 1), st.integers(0, 255)), min_size=1, max_size=6),
       cut=st.one_of(st.none(), st.integers(0, len(SAMPLE_BYTES))))
def test_damaged_bytes_never_crash(flips, cut):
    data = bytearray(SAMPLE_BYTES)
    for offset, byte in flips:
        data[offset] = byte
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.xlsx"
        path.write_bytes(bytes(data[:cut]))
        result = run_cli("check", path)
        assert result.code in (0, 1, 2), result.text
        assert TRACEBACK not in result.text
        assert "程序内部出错" not in result.text, f"crash on flips={flips!r} cut={cut!r}:\n{result.text}"


@pytest.mark.parametrize("cell", [
    '<c r="C{row}" t="n"><v>abc</v></c>', '<c r="C{row}" t="b"><v>7</v></c>', '<c r="C{row}" t="d"><v>not a date</v></c>',
    '<c r="C{row}" t="s"><v>99999</v></c>', '<c r="C{row}" t="e"><v>#N/A</v></c>', '<c r="C{row}" t="str"></c>',
    '<c r="C{row}" t="inlineStr"></c>', '<c r="XFD{row}"><v>1</v></c>', '<c r="C{row}" s="9999"><v>1</v></c>',
], ids=["n-text", "b-7", "d-bad", "s-out-of-range", "e-na", "str-empty", "inline-empty", "last-column", "bad-style"])
def test_malformed_cell_xml_never_crashes(tmp_path, cell):
    from _hostile import patch_cell, row_of

    row = row_of("公开05表", "201")
    path = patch_cell(SAMPLE, tmp_path / "cell.xlsx", "公开05表", f"C{row}", cell.format(row=row))
    result = run_cli("check", path)
    assert result.code in (1, 2), result.text
    assert TRACEBACK not in result.text and "程序内部出错" not in result.text, result.text
