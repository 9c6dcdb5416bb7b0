"""Hostile files: wrong paths, wrong file types, damaged, encrypted and oversized workbooks end in exit 2 and one sentence."""

from __future__ import annotations

import os
import pathlib
import shutil
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from _hostile import (SAMPLE, TRACEBACK, assert_clean_failure, copy_sample, replace_part, run_cli,
                      run_subprocess, sheet_part)

from genreport.api import check_workbook
from genreport.errors import UnreadableWorkbook
from genreport.excel import guard


#: Seconds after which a refusal counts as a hang (the refusals take well under a second on an idle machine; a
#: loaded CI machine must not make them fail: how fast they are is measured in benchmarks/, not here).
HANG = 60

def _ole(tmp_path: Path, name: str, *streams: str) -> Path:
    """Return an OLE compound file (the container of .xls, .doc and password-protected .xlsx) naming streams."""
    directory = b"".join(s.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for s in ("Root Entry", *streams))
    path = tmp_path / name
    path.write_bytes(guard._OLE_MAGIC + b"\0" * 504 + directory.ljust(512, b"\0"))
    return path


def _zip(tmp_path: Path, name: str, parts: dict[str, bytes]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return path


# ---- paths ------------------------------------------------------------------------


def test_missing_file(tmp_path):
    result = run_cli("check", tmp_path / "没有这个文件.xlsx")
    assert_clean_failure(result, 2, "找不到文件", "没有这个文件.xlsx", "请检查文件名")


def test_directory_instead_of_file(tmp_path):
    assert_clean_failure(run_cli("check", tmp_path), 2, "是一个文件夹", "请指定其中的工作簿文件")


def test_directory_instead_of_file_when_generating(tmp_path):
    assert_clean_failure(run_cli(tmp_path, "-o", tmp_path / "out"), 2, "是一个文件夹")
    assert not (tmp_path / "out").exists()


def test_no_read_permission_real(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    workbook = copy_sample(locked)
    locked.chmod(0)
    try:
        if os.access(workbook, os.R_OK) or os.access(locked, os.X_OK):
            pytest.skip("running as root: chmod 000 does not deny access")
        assert_clean_failure(run_cli("check", workbook), 2, "没有权限")
    finally:
        locked.chmod(0o755)


def test_no_read_permission_simulated(tmp_path, monkeypatch):
    workbook = copy_sample(tmp_path)
    real_open = pathlib.Path.open

    def denied(self, *args, **kwargs):
        if self.name == workbook.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", denied)
    assert_clean_failure(run_cli("check", workbook), 2, "没有权限读取", "在 Excel/WPS 中关闭该文件")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a Unix feature")
def test_named_pipe_is_refused_without_blocking(tmp_path):
    pipe = tmp_path / "管道.xlsx"
    os.mkfifo(pipe)
    assert_clean_failure(run_cli("check", pipe), 2, "不是普通文件")


def test_excel_lock_file(tmp_path):
    lock = tmp_path / "~$工作簿.xlsx"
    lock.write_bytes(b"\x0cAdministrator" + b"\x20" * 40 + b"\x00" * 100)
    assert_clean_failure(run_cli("check", lock), 2, "临时锁定文件", "不带“~$”")


def test_empty_file(tmp_path):
    empty = tmp_path / "空.xlsx"
    empty.touch()
    assert_clean_failure(run_cli("check", empty), 2, "空文件（0 字节）")


# ---- wrong file types -------------------------------------------------------------


def test_docx_renamed_to_xlsx(tmp_path):
    import docx

    fake = tmp_path / "报告.xlsx"
    docx.Document().save(str(fake))
    assert_clean_failure(run_cli("check", fake), 2, "实际上是Word 文档（.docx）", "请选择正确的工作簿文件")


def test_pdf_renamed_to_xlsx(tmp_path):
    fake = tmp_path / "报告.xlsx"
    fake.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert_clean_failure(run_cli("check", fake), 2, "实际上是 PDF 文件")


def test_corrupt_zip_member(tmp_path):
    data = bytearray(SAMPLE.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 400] = b"\x00" * 400
    broken = tmp_path / "损坏.xlsx"
    broken.write_bytes(bytes(data))
    assert_clean_failure(run_cli("check", broken), 2, "已损坏", "从备份恢复")


def test_truncated_download(tmp_path):
    broken = tmp_path / "下载中断.xlsx"
    broken.write_bytes(SAMPLE.read_bytes()[:5000])
    assert_clean_failure(run_cli("check", broken), 2, "不完整或已损坏", "重新下载")


def test_password_protected_workbook(tmp_path):
    locked = _ole(tmp_path, "加密.xlsx", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")
    assert_clean_failure(run_cli("check", locked), 2, "设置了打开密码", "取消密码")


def test_old_xls_explains_how_to_convert(tmp_path):
    old = _ole(tmp_path, "决算.xls", "Workbook", "\x05SummaryInformation")
    assert_clean_failure(run_cli("check", old), 2, "旧版 Excel 97-2003 格式（.xls）", "另存为”Excel 工作簿（.xlsx）")


def test_old_doc_renamed(tmp_path):
    old = _ole(tmp_path, "说明.xlsx", "WordDocument", "1Table")
    assert_clean_failure(run_cli("check", old), 2, "Word 文档（.doc）")


def test_csv(tmp_path):
    csv = tmp_path / "公开05表.csv"
    csv.write_text("功能分类科目编码,科目名称,本年支出\n201,一般公共服务支出,1488.40\n", encoding="utf-8-sig")
    assert_clean_failure(run_cli("check", csv), 2, "CSV/文本文件", "genreport init")


def test_html_exported_as_xls(tmp_path):
    page = tmp_path / "财务系统导出.xls"
    page.write_text("<html><body><table><tr><td>201</td></tr></table></body></html>", encoding="gbk")
    assert_clean_failure(run_cli("check", page), 2, "网页或 XML 格式的表格", "另存为")


@pytest.mark.parametrize("parts, fragment", [
    ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}, "OpenDocument"),
    ({"xl/workbook.bin": b"\0", "[Content_Types].xml": b"<x/>"}, "二进制工作簿（.xlsb）"),
    ({"ppt/presentation.xml": b"<x/>"}, "PowerPoint"),
    ({"readme.txt": b"hello"}, "是压缩包而不是 Excel 工作簿"),
    ({"xl/workbook.xml": b'<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"/>'}, "Strict Open XML"),
], ids=["ods", "xlsb", "pptx", "plain-zip", "strict-ooxml"])
def test_other_zip_documents(tmp_path, parts, fragment):
    assert_clean_failure(run_cli("check", _zip(tmp_path, "x.xlsx", parts)), 2, fragment)


@pytest.mark.parametrize("name", ["工作簿.xls", "工作簿.dat", "工作簿.XLSX"])
def test_real_xlsx_with_another_extension_is_read(tmp_path, name):
    assert run_cli("check", copy_sample(tmp_path, name)).code == 0


def test_broken_xml_inside_the_workbook(tmp_path):
    source = copy_sample(tmp_path)
    broken = replace_part(source, tmp_path / "坏.xlsx", sheet_part(source, "公开05表"), b"<worksheet><sheetData><row>")
    assert_clean_failure(run_cli("check", broken), 2, "已损坏，无法作为 Excel 工作簿打开")


@pytest.mark.parametrize("xml", [b"<worksheet><sheetData><row>", b"\xff\xfe<not xml", b"<worksheet><sheetData><row r='1'>"
                                 b"<c r='A1' t='inlineStr'><is><t>\x01</t></is></c></row></sheetData></worksheet>"],
                         ids=["unclosed", "garbage", "illegal-character"])
def test_broken_xml_in_the_cover_sheet_read_before_the_profile(tmp_path, xml):
    source = copy_sample(tmp_path)
    broken = replace_part(source, tmp_path / "坏封面.xlsx", sheet_part(source, "封面概况"), xml)
    for args in (("check", broken), (broken, "-o", tmp_path / "out")):
        assert_clean_failure(run_cli(*args), 2, "坏封面.xlsx", "已损坏")


def test_xml_entity_bomb_is_refused(tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9))
              + b"]>")
    source = copy_sample(tmp_path)
    book = laughs + zipfile.ZipFile(source).read("xl/workbook.xml").replace(
        b"<workbookPr/>", b'<workbookPr codeName="&j;"/>')
    bomb = replace_part(source, tmp_path / "laughs.xlsx", "xl/workbook.xml", book)
    started = time.monotonic()
    result = run_cli("check", bomb)
    assert time.monotonic() - started < HANG  # refused, not expanded (speed itself is for benchmarks/)
    assert_clean_failure(result, 2, "已损坏，无法作为 Excel 工作簿打开")


def test_library_warnings_never_reach_the_user(tmp_path):
    source = copy_sample(tmp_path)
    part = sheet_part(source, "公开05表")
    sheet = zipfile.ZipFile(source).read(part).replace(
        b"</worksheet>", b'<extLst><ext uri="{00000000-0000-0000-0000-000000000000}"><x/></ext></extLst></worksheet>')
    noisy = replace_part(source, tmp_path / "扩展.xlsx", part, sheet)
    # Reading does not use openpyxl (no warning at all); writing the annotated copy does, and openpyxl warns.
    for args in (("check", noisy), ("check", noisy, "--annotate", tmp_path / "标注.xlsx")):
        quiet = run_subprocess(*args)
        assert quiet.code == 0, quiet.text
        assert "Warning" not in quiet.err and "openpyxl" not in quiet.err
    assert "UserWarning" in run_subprocess("--debug", "check", noisy, "--annotate", tmp_path / "标注2.xlsx").err


# ---- huge inputs ------------------------------------------------------------------


def _huge_sheet(rows: int, dimension: bool = True, numbered: bool = True) -> bytes:
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    if dimension:
        head += f'<dimension ref="A1:C{rows}"/>'.encode()
    body = b"".join((f'<row r="{r}">' if numbered else "<row>").encode() + b"<c><v>1</v></c></row>"
                    for r in range(1, rows + 1))
    return head + b"<sheetData>" + body + b"</sheetData></worksheet>"


@pytest.fixture(scope="module")
def million_rows(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("million")
    source = copy_sample(folder)
    return replace_part(source, folder / "百万行.xlsx", sheet_part(source, "公开03表"), _huge_sheet(1_000_000))


def _refused_quickly(path: Path, *fragments: str) -> None:
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = run_cli("check", path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < HANG  # refused before parsing; the memory bound is the real guard
    assert peak < 80 * 1024 * 1024, f"peak memory {peak / 1e6:.0f} MB"
    assert_clean_failure(result, 2, *fragments)


def test_million_row_sheet_is_refused_before_loading(million_rows):
    _refused_quickly(million_rows, "工作表“公开03表”超过 10,000 行的上限", "删除多余的行")


def test_million_rows_without_dimension_or_row_numbers(tmp_path):
    source = copy_sample(tmp_path)
    sheet = _huge_sheet(1_000_000, dimension=False, numbered=False)
    huge = replace_part(source, tmp_path / "无维度.xlsx", sheet_part(source, "公开07表"), sheet)
    _refused_quickly(huge, "工作表“公开07表”超过 10,000 行的上限")


def test_million_rows_with_a_namespace_prefix(tmp_path):
    rows = b"".join(b'<x:row r="%d"><x:c><x:v>1</x:v></x:c></x:row>' % r for r in range(1, 1_000_001))
    sheet = (b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
             + rows + b"</x:sheetData></x:worksheet>")
    source = copy_sample(tmp_path)
    huge = replace_part(source, tmp_path / "前缀.xlsx", sheet_part(source, "公开02表"), sheet)
    _refused_quickly(huge, "工作表“公开02表”超过 10,000 行的上限")


def test_one_stray_cell_at_row_one_million(tmp_path):
    def edit(book):
        book["公开05表"]["A1000000"] = "x"

    from _hostile import edited_sample
    stray = edited_sample(tmp_path, edit)
    assert stray.stat().st_size < 200_000
    _refused_quickly(stray, "工作表“公开05表”超过 10,000 行的上限")


def test_too_many_cells_in_an_extra_sheet(tmp_path):
    row = "".join(f"<c><v>{i}</v></c>" for i in range(60))
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(f'<row r="{r}">{row}</row>' for r in range(1, 4001)) + "</sheetData></worksheet>").encode()
    source = copy_sample(tmp_path)
    wide = replace_part(source, tmp_path / "宽表.xlsx", sheet_part(source, "绩效项目"), sheet)
    _refused_quickly(wide, "工作表“绩效项目”超过 150,000 个单元格的上限")


def test_too_many_cells_in_the_whole_workbook(tmp_path):
    row = "".join(f"<c><v>{i}</v></c>" for i in range(50))  # 145,000 cells a sheet: under the per-sheet limit
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(f'<row r="{r}">{row}</row>' for r in range(1, 2901)) + "</sheetData></worksheet>").encode()
    path = copy_sample(tmp_path)
    for index, name in enumerate(["预算绩效", "绩效项目", "国有资产"]):
        path = replace_part(path, tmp_path / f"多表{index}.xlsx", sheet_part(SAMPLE, name), sheet)
    _refused_quickly(path, "个单元格，超过 400,000 个的上限", "删除多余的工作表")


def test_zip_bomb_is_refused_without_unpacking(tmp_path):
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(SAMPLE) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info.filename))
        with new.open("xl/media/image1.png", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 22)
            for _ in range(64):
                member.write(block)
    assert bomb.stat().st_size < 2_000_000
    _refused_quickly(bomb, "解压后有 256 MB", "超过单个部件 50 MB 的上限")


def test_total_size_message_names_the_total_limit(tmp_path):
    big = tmp_path / "大.xlsx"
    with zipfile.ZipFile(SAMPLE) as old, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info.filename))
        for index in range(5):  # 5 × 45 MB: each part under its 50 MB limit, the whole over 200 MB
            with new.open(f"xl/media/image{index + 10}.png", "w", force_zip64=True) as member:
                for _ in range(45):
                    member.write(b"\0" * (1 << 20))
    _refused_quickly(big, "解压后共有 225 MB", "超过 200 MB 的上限")


def _with_sheet_extra(tmp_path: Path, name: str, sheet: str, extra: bytes) -> Path:
    """Return a sample copy whose sheet carries extra XML right after its sheetData."""
    source = copy_sample(tmp_path)
    part = sheet_part(source, sheet)
    xml = zipfile.ZipFile(source).read(part)
    xml = xml.replace(b"<mergeCells", b"<oldMergeCells").replace(b"</mergeCells>", b"</oldMergeCells>")
    return replace_part(source, tmp_path / name, part, xml.replace(b"</sheetData>", b"</sheetData>" + extra, 1))


def test_one_huge_merged_range_is_refused_quickly(tmp_path):
    path = _with_sheet_extra(tmp_path, "合并.xlsx", "公开05表",
                             b'<mergeCells count="1"><mergeCell ref="F40:XFD1048576"/></mergeCells>')
    _refused_quickly(path, "工作表“公开05表”超过 150,000 个单元格的上限", "合并单元格")


def test_one_huge_hyperlink_range_is_refused_quickly(tmp_path):
    path = _with_sheet_extra(tmp_path, "链接.xlsx", "公开06表",
                             b'<hyperlinks><hyperlink ref="A50:XFD4000" location="A1" display="x"/></hyperlinks>')
    _refused_quickly(path, "工作表“公开06表”超过 150,000 个单元格的上限")


def _many_cells_sheet(cell: str, encoding: str = "utf-8") -> bytes:
    row = cell * 600  # 4,000 rows × 600 cells = 2.4 M cells, under the row limit
    text = (f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + "".join(f'<row r="{r}">{row}</row>' for r in range(1, 4001)) + "</sheetData></worksheet>")
    return text.encode(encoding)


@pytest.mark.parametrize(("cell", "encoding"), [("<c\n/>", "utf-8"), ("<c\t/>", "utf-8"), ("<c/>", "utf-16")],
                         ids=["newline", "tab", "utf-16"])
def test_cell_count_whatever_the_spelling_or_encoding(tmp_path, cell, encoding):
    source = copy_sample(tmp_path)
    sheet = _many_cells_sheet(cell, encoding)
    path = replace_part(source, tmp_path / "拼写.xlsx", sheet_part(source, "绩效项目"), sheet)
    _refused_quickly(path, "工作表“绩效项目”超过 150,000 个单元格的上限")


def test_hundreds_of_thousands_of_styles_are_refused_quickly(tmp_path):
    source = copy_sample(tmp_path)
    styles = zipfile.ZipFile(source).read("xl/styles.xml")
    xfs = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * 600_000
    head, rest = styles.split(b"<cellXfs", 1)
    styles = head + b'<cellXfs count="600000">' + xfs + rest[rest.index(b"</cellXfs>"):]
    path = replace_part(source, tmp_path / "样式.xlsx", "xl/styles.xml", styles)
    _refused_quickly(path, "单元格样式超过 100,000 条的上限")


def test_millions_of_shared_strings_are_refused_quickly(tmp_path):
    source = copy_sample(tmp_path)
    strings = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2500000" '
               b'uniqueCount="2500000">' + b"<si><t>x</t></si>" * 2_500_000 + b"</sst>")
    path = tmp_path / "字符串.xlsx"
    kind = b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.' \
           b'spreadsheetml.sharedStrings+xml"/></Types>'
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info.filename, data.replace(b"</Types>", kind) if info.filename == "[Content_Types].xml" else data)
        new.writestr("xl/sharedStrings.xml", strings)
    _refused_quickly(path, "共享文字超过 400,000 条的上限")


def test_guard_limits_are_far_above_the_sample():
    with zipfile.ZipFile(SAMPLE) as archive:
        names = guard._sheet_names(archive)
        counts = [guard._count(archive.open(part)) for part in names]
    assert len(names) >= 19
    assert max(rows for rows, _ in counts) * 10 < guard.MAX_SHEET_ROWS
    assert max(cells for _, cells in counts) * 10 < guard.MAX_SHEET_CELLS
    with zipfile.ZipFile(SAMPLE) as archive:
        styles = guard._count_tags(archive.open("xl/styles.xml"), guard._STYLE_TAG, 10**9)
    assert styles * 10 < guard.MAX_STYLE_ENTRIES


def test_unreadable_workbook_raises_from_the_library(tmp_path):
    with pytest.raises(UnreadableWorkbook, match="空文件"):
        check_workbook((tmp_path / "e.xlsx", (tmp_path / "e.xlsx").touch())[0])


# ---- --debug ----------------------------------------------------------------------


def test_debug_shows_the_traceback_only_when_asked(tmp_path):
    empty = tmp_path / "e.xlsx"
    empty.touch()
    quiet, loud = run_cli("check", empty), run_cli("--debug", "check", empty)
    assert quiet.code == loud.code == 2
    assert TRACEBACK not in quiet.text and "空文件" in quiet.err
    assert TRACEBACK in loud.err and "UnreadableWorkbook" in loud.err and "空文件" in loud.err


def test_internal_error_is_one_sentence_without_debug(tmp_path, monkeypatch):
    import genreport.api

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(genreport.api, "check_workbook", boom)
    quiet, loud = run_cli("check", SAMPLE), run_cli("--debug", "check", SAMPLE)
    assert quiet.code == loud.code == 2
    assert TRACEBACK not in quiet.text and "simulated bug" not in quiet.text
    assert "程序内部出错（RuntimeError），请加 --debug 重新运行" in quiet.err
    assert TRACEBACK in loud.err and "simulated bug" in loud.err


@pytest.mark.parametrize("args, fragment", [
    (["check"], "错误：缺少工作簿文件，请运行 genreport check --help 查看用法。"),
    (["check", "--forma", "json", "x.xlsx"], "没有“--forma”这个选项（是否想用 --format？）"),
    (["check", "x.xlsx", "--format", "xml"], "参数取值不对"),
    (["--nope"], "没有“--nope”这个选项"),
], ids=["missing-workbook", "misspelt-option", "bad-choice", "unknown-group-option"])
def test_usage_errors_are_one_chinese_sentence(args, fragment):
    result = run_cli(*args)
    assert_clean_failure(result, 2, fragment)
    assert "Error:" not in result.text


def test_debug_is_accepted_after_the_subcommand(tmp_path):
    empty = tmp_path / "e.xlsx"
    empty.touch()
    result = run_cli("check", empty, "--debug")
    assert result.code == 2 and TRACEBACK in result.err and "空文件" in result.err


# ---- a real subprocess ------------------------------------------------------------


def test_subprocess_missing_file(tmp_path):
    assert_clean_failure(run_subprocess("check", tmp_path / "无.xlsx"), 2, "找不到文件")


def test_subprocess_corrupt_file_with_and_without_debug(tmp_path):
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(SAMPLE.read_bytes()[:3000])
    quiet = run_subprocess("check", broken)
    assert_clean_failure(quiet, 2, "不完整或已损坏")
    loud = run_subprocess("--debug", "check", broken)
    assert loud.code == 2 and TRACEBACK in loud.err


def test_subprocess_million_rows(million_rows):
    assert_clean_failure(run_subprocess("check", million_rows), 2, "超过 10,000 行的上限")


def test_subprocess_valid_sample_exits_0(tmp_path):
    shutil.copyfile(SAMPLE, tmp_path / "w.xlsx")
    assert run_subprocess("check", tmp_path / "w.xlsx").code == 0


# ---- the 常见问题 page ------------------------------------------------------------


def test_faq_explains_every_reading_issue_code():
    import re

    from _hostile import ROOT

    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "cli" / "genreport" / "excel").glob("*.py"))
    codes = set(re.findall(r'(?:self|reader)\.add\(\s*"([a-z-]+)"', source))
    faq = (ROOT / "docs" / "常见问题.md").read_text(encoding="utf-8")
    assert len(codes) > 15
    assert sorted(c for c in codes if f"`{c}`" not in faq) == []


def test_annotating_a_workbook_with_another_extension(tmp_path):
    workbook = copy_sample(tmp_path, "工作簿.dat")
    result = run_cli("check", workbook, "--annotate")
    assert result.code == 0 and "程序内部出错" not in result.text, result.text
    assert (tmp_path / "工作簿.标注.xlsx").exists()


def test_control_characters_in_a_file_name_are_escaped_on_the_terminal(tmp_path):
    path = copy_sample(tmp_path, "a\x1b[2J\x07b.xlsx")
    for args in (("check", path), ("check", path, "--annotate"), ("check", tmp_path / "无\x1b]0;x\x07.xlsx")):
        result = run_cli(*args)
        assert "\x1b" not in result.text and "\x07" not in result.text, result.text
        assert "\\x1b" in result.text
