"""genreport batch: inputs, parallel generation, conflicts, safe names, resuming, summary."""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from genreport.files import MAX_STEM_BYTES, report_filename, safe_filename

WINDOWS_INVALID = set('\\/:*?"<>|') | {chr(i) for i in range(32)}
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def assert_valid_name(name: str, outdir: Path) -> None:
    """A single component, valid on Windows, that resolves inside outdir."""
    assert name and not (set(name) & WINDOWS_INVALID), name
    assert name == name.strip() and not name.endswith("."), name
    assert name.split(".")[0].rstrip().upper() not in RESERVED, name
    assert len(name.encode("utf-8")) <= 255
    assert len(PureWindowsPath(name).parts) == 1 and len(Path(name).parts) == 1
    assert (outdir / name).resolve().parent == outdir.resolve()


@pytest.mark.parametrize(("dept", "expected"), [
    ("新乡市行政审批和政务信息管理局", "新乡市行政审批和政务信息管理局2024年度部门决算.docx"),
    ("../x", "_x2024年度部门决算.docx"),
    ("a/b", "a_b2024年度部门决算.docx"),
    ("a\\b", "a_b2024年度部门决算.docx"),
    ("名称:*?", "名称___2024年度部门决算.docx"),
    ("", "未命名部门2024年度部门决算.docx"),
    (" .. ", "未命名部门2024年度部门决算.docx"),
    ("CON", "CON2024年度部门决算.docx"),
], ids=["plain", "parent", "slash", "backslash", "reserved-chars", "empty", "dots", "device"])
def test_report_filename(dept, expected, tmp_path):
    name = report_filename(dept, 2024)
    assert name == expected
    assert_valid_name(name, tmp_path)


@pytest.mark.parametrize("name", ["CON", "con", "NUL.txt", "COM1", "LPT9 ", "AUX .docx"])
def test_safe_filename_prefixes_device_names(name, tmp_path):
    cleaned = safe_filename(name)
    assert cleaned.startswith("_")
    assert_valid_name(cleaned, tmp_path)


def test_long_name_keeps_the_year_part(tmp_path):
    name = report_filename("很长的部门名称" * 40, 2024)
    assert name.endswith("2024年度部门决算.docx")
    assert len(name.encode("utf-8")) <= MAX_STEM_BYTES + len(".docx")
    assert_valid_name(name, tmp_path)


@given(st.text(max_size=300))
def test_any_department_name_gives_a_valid_name_inside_outdir(dept):
    outdir = Path("/tmp/genreport-outdir")
    assert_valid_name(report_filename(dept, 2024), outdir)
    assert_valid_name(safe_filename(dept), outdir)
