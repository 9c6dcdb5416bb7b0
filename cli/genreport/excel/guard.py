"""Open a workbook safely: recognise wrong file types and refuse oversized files before openpyxl loads them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

import openpyxl

from ..errors import UnreadableWorkbook

#: Limits far above any real 部门决算 workbook (a few thousand cells per sheet), far below what exhausts memory.
MAX_SHEET_ROWS = 5000
MAX_SHEET_CELLS = 150_000
MAX_TOTAL_CELLS = 400_000
MAX_PART_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONVERT = "请用 Excel 或 WPS 打开它，“另存为”Excel 工作簿（.xlsx）后再试"
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]([^>]*)")
_ROW_NUMBER = re.compile(rb'\br="(\d{1,9})"')
_CELL_TAGS = (b"<c ", b"<c>", b"<c/", b":c ", b":c>", b":c/")  # <c …> with or without a namespace prefix
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CHUNK = 1 << 20


def open_workbook(path: Path) -> Any:
    """Return the openpyxl workbook at path (formulas as text); UnreadableWorkbook says why it cannot be."""
    check_file(path)
    return load(path, data_only=False)


def check_file(path: Path) -> None:
    """Raise UnreadableWorkbook unless path is an .xlsx of plausible size; call it before any openpyxl load."""
    _refuse_non_zip(path, _head(path))
    _check_archive(path)


def load(path: Path, data_only: bool) -> Any:
    """Return openpyxl's workbook; any parser failure becomes UnreadableWorkbook (the file is untrusted)."""
    try:
        with path.open("rb") as stream:  # a file object: openpyxl then ignores the file-name extension
            return openpyxl.load_workbook(stream, data_only=data_only)
    except MemoryError:
        raise UnreadableWorkbook(f"{path.name} 太大，内存不足以打开，请确认文件是否正确。") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on malformed XML
        raise UnreadableWorkbook(f"{path.name} 已损坏，无法作为 Excel 工作簿打开（{type(exc).__name__}），{_CONVERT}。"
                                 ) from exc


def _head(path: Path) -> bytes:
    """Return the first bytes of path after checking it is a readable, non-empty file."""
    try:
        if not path.exists():
            raise UnreadableWorkbook(f"找不到文件“{path}”，请检查文件名和所在文件夹。")
        if path.is_dir():
            raise UnreadableWorkbook(f"“{path}”是一个文件夹，请指定其中的工作簿文件（.xlsx）。")
        if not path.is_file():
            raise UnreadableWorkbook(f"“{path}”不是普通文件（可能是设备或管道），请指定工作簿文件（.xlsx）。")
        with path.open("rb") as stream:
            head = stream.read(512)
    except PermissionError:
        raise UnreadableWorkbook(f"没有权限读取“{path}”，请检查文件权限，或先在 Excel/WPS 中关闭该文件。") from None
    except (OSError, ValueError) as exc:
        raise UnreadableWorkbook(f"无法读取“{path}”（{exc.__class__.__name__}），请检查文件路径。") from None
    if not head:
        raise UnreadableWorkbook(f"{path.name} 是空文件（0 字节），请重新保存或从备份恢复工作簿。")
    return head


def _refuse_non_zip(path: Path, head: bytes) -> None:
    """Raise with a message naming the file type when path is not a zip (.xlsx) at all."""
    if head.startswith(_OLE_MAGIC):
        raise UnreadableWorkbook(_ole_message(path))
    if zipfile.is_zipfile(path):
        return
    raise UnreadableWorkbook(_not_zip_message(path, head))


def _ole_message(path: Path) -> str:
    """Return the message for an OLE compound file: encrypted .xlsx, old .xls, or another Office file."""
    try:
        with path.open("rb") as stream:
            data = stream.read(64 * 1024 * 1024)  # the stream directory of any real .xls lies well within
    except OSError:
        data = b""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return (f"{path.name} 设置了打开密码，无法读取，请在 Excel/WPS 中打开后取消密码"
                "（文件→信息→保护工作簿→用密码进行加密，清空密码）并保存后再试。")
    if "WordDocument".encode("utf-16-le") in data:
        return f"{path.name} 实际上是 Word 文档（.doc），不是工作簿，请选择正确的工作簿文件。"
    return f"{path.name} 是旧版 Excel 97-2003 格式（.xls），本工具只能读取 .xlsx，{_CONVERT}。"


def _not_zip_message(path: Path, head: bytes) -> str:
    """Return the message for a file that is not a zip archive, naming what it looks like."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if path.name.startswith("~$"):
        return f"{path.name} 是 Excel/WPS 打开工作簿时生成的临时锁定文件，请选择不带“~$”的那个工作簿文件。"
    if text.startswith(b"%pdf"):
        return f"{path.name} 实际上是 PDF 文件，不是工作簿，请选择填好的 .xlsx 工作簿。"
    if text.startswith(b"pk"):
        return f"{path.name} 不完整或已损坏（可能是下载或复制中断），请重新下载、复制或从备份恢复。"
    if text.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")) or b"urn:schemas-microsoft-com:office" in text:
        return f"{path.name} 实际上是网页或 XML 格式的表格（常见于财务系统导出），{_CONVERT}。"
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return f"{path.name} 是 CSV/文本文件，只能保存一张表，请使用 genreport init 生成的 .xlsx 标准工作簿填写。"
    return f"{path.name} 不是 Excel 工作簿（.xlsx），请选择 genreport init 生成并填好的工作簿。"


def _check_archive(path: Path) -> None:
    """Refuse a zip that is another document type or whose content is too large, reading no more than needed."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_kind(path, {i.filename for i in infos}, archive)
            _check_sizes(path, infos)
            sheets = _sheet_names(archive)
            parts = [i.filename for i in infos if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
            total = sum(_check_sheet(path, archive, part, sheets.get(part, part)) for part in parts)
            if total > MAX_TOTAL_CELLS:
                raise UnreadableWorkbook(f"{path.name} 共有 {total:,} 个单元格，超过 {MAX_TOTAL_CELLS:,} 个的上限，"
                                         "请删除多余的工作表、行和列后再试。")
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError… from damaged members
        raise UnreadableWorkbook(f"{path.name} 已损坏，无法解压（{type(exc).__name__}），请重新保存或从备份恢复。") from exc


def _check_kind(path: Path, names: set[str], archive: zipfile.ZipFile) -> None:
    """Raise when the zip is a .docx, .pptx, .ods, .xlsb or Strict Open XML file instead of an .xlsx."""
    kinds = {"word/document.xml": "Word 文档（.docx）", "ppt/presentation.xml": "PowerPoint 演示文稿（.pptx）",
             "content.xml": "OpenDocument 文件（.ods/.odt）"}
    for part, kind in kinds.items():
        if part in names:
            raise UnreadableWorkbook(f"{path.name} 实际上是{kind}，不是 Excel 工作簿，请选择正确的工作簿文件。")
    if "xl/workbook.bin" in names:
        raise UnreadableWorkbook(f"{path.name} 是 Excel 二进制工作簿（.xlsb），{_CONVERT}。")
    if "xl/workbook.xml" not in names:
        raise UnreadableWorkbook(f"{path.name} 是压缩包而不是 Excel 工作簿，请选择正确的工作簿文件。")
    if archive.getinfo("xl/workbook.xml").file_size < MAX_PART_BYTES:
        if b"purl.oclc.org/ooxml/spreadsheetml" in archive.read("xl/workbook.xml"):
            raise UnreadableWorkbook(f"{path.name} 是“Strict Open XML 电子表格”格式，{_CONVERT}。")


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Raise when the declared unpacked size of the archive or of one part is implausibly large."""
    total = sum(info.file_size for info in infos)
    biggest = max(infos, key=lambda info: info.file_size)
    if total > MAX_UNZIPPED_BYTES or biggest.file_size > MAX_PART_BYTES:
        raise UnreadableWorkbook(
            f"{path.name} 解压后有 {_mb(total)} MB（其中 {biggest.filename} 有 {_mb(biggest.file_size)} MB），"
            f"超过 {_mb(MAX_UNZIPPED_BYTES)} MB 的上限，不像是一份部门决算工作簿，请确认文件是否正确。")


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return {"xl/worksheets/sheet1.xml": "封面概况", …}; {} when the workbook part cannot be parsed."""
    try:
        parts = [archive.getinfo(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")]
        if any(info.file_size > 5 * 1024 * 1024 for info in parts):
            return {}
        book, rels = (ElementTree.fromstring(archive.read(info)) for info in parts)
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {rel.get("Id"): (rel.get("Target") or "").lstrip("/") for rel in rels}
    names = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet") and sheet.get(_REL_NS) in targets:
            target = targets[sheet.get(_REL_NS)]
            names[target if target.startswith("xl/") else f"xl/{target}"] = sheet.get("name", "")
    return names


def _check_sheet(path: Path, archive: zipfile.ZipFile, part: str, name: str) -> int:
    """Return the cell count of a worksheet; raise when it has more rows or cells than any real workbook."""
    rows, cells = _count(archive.open(part))
    if rows > MAX_SHEET_ROWS:
        raise UnreadableWorkbook(f"工作表“{name}”超过 {MAX_SHEET_ROWS:,} 行的上限，请删除多余的行"
                                 "（选中多余的行→右键→删除）或删除这张工作表后再试。")
    if cells > MAX_SHEET_CELLS:
        raise UnreadableWorkbook(f"工作表“{name}”超过 {MAX_SHEET_CELLS:,} 个单元格的上限，请删除多余的行和列后再试。")
    return cells


def _count(stream: IO[bytes]) -> tuple[int, int]:
    """Return (highest row number, cell count) of a worksheet part, stopping as soon as a limit is passed."""
    rows = cells = 0
    carry = b""
    with stream:
        while rows <= MAX_SHEET_ROWS and cells <= MAX_SHEET_CELLS:
            chunk = stream.read(_CHUNK)
            data = carry + chunk
            cut = data.rfind(b"<") if chunk else len(data)
            cut = cut if cut > 0 else len(data)
            data, carry = data[:cut], data[cut:]
            for match in _ROW_TAG.finditer(data):
                number = _ROW_NUMBER.search(match.group(1))
                rows = max(rows + 1, int(number.group(1)) if number else 0)
            cells += sum(data.count(tag) for tag in _CELL_TAGS)
            if not chunk:
                break
    return rows, cells


def _mb(size: int) -> int:
    return size // (1024 * 1024)
