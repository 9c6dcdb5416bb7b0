"""Open a workbook safely: recognise wrong file types and refuse oversized files before any parser loads them."""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from ..errors import UnreadableWorkbook
from .xlsx import Book, range_bounds, read_book

#: Limits far above any real 部门决算 workbook (a few thousand cells per sheet; a 年初预算 of a few thousand 项
#: lines), far below what exhausts memory (the cell limits bound it whatever the rows).
MAX_SHEET_ROWS = 10_000
MAX_SHEET_CELLS = 150_000
MAX_TOTAL_CELLS = 400_000
MAX_PART_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
#: Excel allows 64,000 cell formats; fonts, fills, borders and number formats count too.
MAX_STYLE_ENTRIES = 100_000
MAX_SHARED_STRINGS = MAX_TOTAL_CELLS
#: The longest paragraph (characters) LibreOffice lays out well within its time limit on a slow machine (pdf.py).
MAX_PARAGRAPH_CHARS = 100_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONVERT = "请用 Excel 或 WPS 打开它，“另存为”Excel 工作簿（.xlsx）后再试"
_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
#: A <row …> tag and the number in its r attribute (b"" when it has none).
_ROW_TAG = re.compile(_PREFIX + rb"""row[\s>/](?:[^>]*?\br\s*=\s*["']\s*(\d{1,9}))?""")
_CELL_TAG = re.compile(_PREFIX + rb"c[\s>/]")  # <c …> whatever the prefix or the whitespace after it
#: Ranges openpyxl turns into one object per cell: merged cells and hyperlinks.
_RANGE_TAG = re.compile(_PREFIX + rb"""(?:mergeCell|hyperlink)[\s/][^>]*?\bref\s*=\s*["']([^"']*)["']""")
_STYLE_TAG = re.compile(_PREFIX + rb"(?:xf|font|fill|border|numFmt|dxf|cellStyle)[\s>/]")
_STRING_TAG = re.compile(_PREFIX + rb"si[\s>/]")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CHUNK = 1 << 20


def open_workbook(path: Path) -> Book:
    """Return the workbook at path read for the reader (xlsx.Book); UnreadableWorkbook says why it cannot be."""
    check_file(path)
    return load(path)


def check_file(path: Path) -> None:
    """Raise UnreadableWorkbook unless path is an .xlsx of plausible size; call it before any load."""
    _refuse_non_zip(path, _head(path))
    _check_archive(path)


def load(path: Path) -> Book:
    """Return the workbook read without openpyxl; any parser failure becomes UnreadableWorkbook (untrusted file)."""
    return _unreadable_unless(path, read_book, path)


def load_openpyxl(path: Path, data_only: bool) -> Any:
    """Return openpyxl's workbook (for writing an annotated copy); parser failures become UnreadableWorkbook."""
    import openpyxl

    def opened() -> Any:
        with path.open("rb") as stream:  # a file object: openpyxl then ignores the file-name extension
            return openpyxl.load_workbook(stream, data_only=data_only)

    return _unreadable_unless(path, opened)


def _unreadable_unless(path: Path, read: Any, *args: Any) -> Any:
    try:
        return read(*args)
    except MemoryError:
        raise _unreadable("{name} 太大，内存不足以打开，请确认文件是否正确。", path) from None
    except Exception as exc:  # noqa: BLE001 - zipfile, expat and openpyxl raise many types on malformed parts
        raise _unreadable("{name} 已损坏，无法作为 Excel 工作簿打开（{kind}），" + _CONVERT + "。", path,
                          kind=type(exc).__name__) from exc


def _unreadable(template: str, path: Path, **fields: Any) -> UnreadableWorkbook:
    """Return the error of a workbook that cannot be read, naming it by its file name (the field name)."""
    return UnreadableWorkbook.of(template, name=Path(path.name), **fields)


def _head(path: Path) -> bytes:
    """Return the first bytes of path after checking it is a readable, non-empty file."""
    try:
        if not path.exists():
            raise UnreadableWorkbook.of("找不到文件“{file}”，请检查文件名和所在文件夹。", file=path)
        if path.is_dir():
            raise UnreadableWorkbook.of("“{file}”是一个文件夹，请指定其中的工作簿文件（.xlsx）。", file=path)
        if not path.is_file():
            raise UnreadableWorkbook.of("“{file}”不是普通文件（可能是设备或管道），请指定工作簿文件（.xlsx）。", file=path)
        with path.open("rb") as stream:
            head = stream.read(512)
    except PermissionError:
        raise UnreadableWorkbook.of("没有权限读取“{file}”，请检查文件权限，或先在 Excel/WPS 中关闭该文件。",
                                    file=path) from None
    except (OSError, ValueError) as exc:
        raise UnreadableWorkbook.of("无法读取“{file}”（{kind}），请检查文件路径。", file=path,
                                    kind=exc.__class__.__name__) from None
    if not head:
        raise _unreadable("{name} 是空文件（0 字节），请重新保存或从备份恢复工作簿。", path)
    return head


def _refuse_non_zip(path: Path, head: bytes) -> None:
    """Raise with a message naming the file type when path is not a zip (.xlsx) at all."""
    if head.startswith(_OLE_MAGIC):
        raise _unreadable(_ole_message(path), path)
    if zipfile.is_zipfile(path):
        return
    raise _unreadable(_not_zip_message(path, head), path)


def _ole_message(path: Path) -> str:
    """Return the message template ({name}) for an OLE compound file: encrypted .xlsx, old .xls, another Office file."""
    try:
        with path.open("rb") as stream:
            data = stream.read(64 * 1024 * 1024)  # the stream directory of any real .xls lies well within
    except OSError:
        data = b""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return ("{name} 设置了打开密码，无法读取，请在 Excel/WPS 中打开后取消密码"
                "（文件→信息→保护工作簿→用密码进行加密，清空密码）并保存后再试。")
    if "WordDocument".encode("utf-16-le") in data:
        return "{name} 实际上是 Word 文档（.doc），不是工作簿，请选择正确的工作簿文件。"
    return "{name} 是旧版 Excel 97-2003 格式（.xls），本工具只能读取 .xlsx，" + _CONVERT + "。"


def _not_zip_message(path: Path, head: bytes) -> str:
    """Return the message template ({name}) for a file that is not a zip archive, naming what it looks like."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if path.name.startswith("~$"):
        return "{name} 是 Excel/WPS 打开工作簿时生成的临时锁定文件，请选择不带“~$”的那个工作簿文件。"
    if text.startswith(b"%pdf"):
        return "{name} 实际上是 PDF 文件，不是工作簿，请选择填好的 .xlsx 工作簿。"
    if text.startswith(b"pk"):
        return "{name} 不完整或已损坏（可能是下载或复制中断），请重新下载、复制或从备份恢复。"
    if text.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")) or b"urn:schemas-microsoft-com:office" in text:
        return "{name} 实际上是网页或 XML 格式的表格（常见于财务系统导出），" + _CONVERT + "。"
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return "{name} 是 CSV/文本文件，只能保存一张表，请使用 genreport init 生成的 .xlsx 标准工作簿填写。"
    return "{name} 不是 Excel 工作簿（.xlsx），请选择 genreport init 生成并填好的工作簿。"


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
            _check_tables(path, archive, {i.filename for i in infos})
            if total > MAX_TOTAL_CELLS:
                raise _unreadable("{name} 共有 {total:,} 个单元格，超过 {limit:,} 个的上限，"
                                  "请删除多余的工作表、行和列后再试。", path, total=total, limit=MAX_TOTAL_CELLS)
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError… from damaged members
        raise _unreadable("{name} 已损坏，无法解压（{kind}），请重新保存或从备份恢复。", path,
                          kind=type(exc).__name__) from exc


def _check_kind(path: Path, names: set[str], archive: zipfile.ZipFile) -> None:
    """Raise when the zip is a .docx, .pptx, .ods, .xlsb or Strict Open XML file instead of an .xlsx."""
    kinds = {"word/document.xml": "Word 文档（.docx）", "ppt/presentation.xml": "PowerPoint 演示文稿（.pptx）",
             "content.xml": "OpenDocument 文件（.ods/.odt）"}
    for part, kind in kinds.items():
        if part in names:
            raise _unreadable("{name} 实际上是{kind}，不是 Excel 工作簿，请选择正确的工作簿文件。", path, kind=kind)
    if "xl/workbook.bin" in names:
        raise _unreadable("{name} 是 Excel 二进制工作簿（.xlsb），" + _CONVERT + "。", path)
    if "xl/workbook.xml" not in names:
        raise _unreadable("{name} 是压缩包而不是 Excel 工作簿，请选择正确的工作簿文件。", path)
    if archive.getinfo("xl/workbook.xml").file_size < MAX_PART_BYTES:
        if b"purl.oclc.org/ooxml/spreadsheetml" in archive.read("xl/workbook.xml"):
            raise _unreadable("{name} 是“Strict Open XML 电子表格”格式，" + _CONVERT + "。", path)


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Raise when the declared unpacked size of the archive or of one part is implausibly large (naming which)."""
    total = sum(info.file_size for info in infos)
    biggest = max(infos, key=lambda info: info.file_size)
    if biggest.file_size > MAX_PART_BYTES:
        raise _unreadable(
            "{name} 中的 {part} 解压后有 {size} MB，超过单个部件 {limit} MB 的上限，不像是一份部门决算工作簿，"
            "请确认文件是否正确。", path, part=biggest.filename, size=_mb(biggest.file_size), limit=_mb(MAX_PART_BYTES))
    if total > MAX_UNZIPPED_BYTES:
        raise _unreadable("{name} 解压后共有 {size} MB，超过 {limit} MB 的上限，不像是一份部门决算工作簿，"
                          "请确认文件是否正确。", path, size=_mb(total), limit=_mb(MAX_UNZIPPED_BYTES))


def _check_tables(path: Path, archive: zipfile.ZipFile, names: set[str]) -> None:
    """Raise when the style table or the shared-string table has more entries than any real workbook."""
    limits = (("xl/styles.xml", _STYLE_TAG, MAX_STYLE_ENTRIES, "单元格样式"),
              ("xl/sharedStrings.xml", _STRING_TAG, MAX_SHARED_STRINGS, "共享文字"))
    for part, tag, limit, what in limits:
        if part in names and _count_tags(archive.open(part), tag, limit) > limit:
            raise _unreadable("{name} 的{what}超过 {limit:,} 条的上限，不像是一份部门决算工作簿，请用 Excel 或 WPS "
                              "打开后复制需要的工作表到 genreport init 生成的新工作簿中再试。", path, what=what, limit=limit)


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
        raise UnreadableWorkbook(f"工作表“{name}”超过 {MAX_SHEET_CELLS:,} 个单元格的上限（合并单元格和超链接覆盖的范围也计算在内），"
                                 "请删除多余的行、列、合并或超链接后再试。")
    return cells


def _count(stream: IO[bytes]) -> tuple[int, int]:
    """Return (highest row number, cells openpyxl would create) of a worksheet part, stopping past a limit.

    Cells are the <c> elements plus every cell of a merged or hyperlinked range.
    """
    rows = cells = 0
    for data in _chunks(stream):
        for number in _ROW_TAG.findall(data):
            rows = max(rows + 1, int(number) if number else 0)
        cells += len(_CELL_TAG.findall(data)) + _ranges(data)
        if rows > MAX_SHEET_ROWS or cells > MAX_SHEET_CELLS:
            break
    return rows, cells


def _ranges(data: bytes) -> int:
    """Return the cells of the merged and hyperlinked ranges in data, scanning from the first such tag only."""
    found = [at for at in (data.find(b"mergeCell"), data.find(b"hyperlink")) if at >= 0]
    if not found:
        return 0
    start = max(data.rfind(b"<", 0, min(found)), 0)  # the "<" of the first tag naming either
    return sum(_area(m.group(1)) for m in _RANGE_TAG.finditer(data, start))


def _count_tags(stream: IO[bytes], tag: re.Pattern[bytes], limit: int) -> int:
    """Return how many elements match tag in an XML part, stopping past limit."""
    count = 0
    for data in _chunks(stream):
        count += len(tag.findall(data))
        if count > limit:
            break
    return count


def _area(ref: bytes) -> int:
    """Return the number of cells of a space-separated list of ranges ("A1:B2 D4"); huge for a bad ref."""
    total = 0
    for one in ref.decode("ascii", "replace").split():
        try:
            low_col, low_row, high_col, high_row = range_bounds(one.replace("$", ""))
        except (ValueError, TypeError):
            continue
        total += ((high_col or 16_384) - (low_col or 1) + 1) * ((high_row or 1_048_576) - (low_row or 1) + 1)
    return total


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """Yield an XML part as UTF-8 chunks of about 1 MB, each cut before a "<" so no tag is split.

    A part in UTF-16 or UTF-32 (which openpyxl reads as well) is re-encoded first, so that no count is
    bypassed by an encoding.
    """
    decode = None
    carry = b""
    with stream:
        while True:
            chunk = stream.read(_CHUNK)
            if decode is None:
                decode = _decoder(chunk)
            if decode is not False:
                chunk = decode(chunk, not chunk).encode("utf-8")  # type: ignore[operator]
            data = carry + chunk
            cut = data.rfind(b"<") if chunk else len(data)
            cut = cut if cut > 0 else len(data)
            yield data[:cut]
            carry = data[cut:]
            if not chunk:
                return


def _decoder(head: bytes) -> Any:
    """Return an incremental decode function for a UTF-16/32 part, False for UTF-8 (or ASCII-compatible)."""
    for boms, encoding in ((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"), \
            ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16"):
        if head.startswith(boms):
            return codecs.getincrementaldecoder(encoding)("replace").decode
    if head[:4] in (b"<\x00\x00\x00", b"\x00\x00\x00<"):
        return codecs.getincrementaldecoder("utf-32-le" if head[0] else "utf-32-be")("replace").decode
    if head[:2] in (b"<\x00", b"\x00<"):
        return codecs.getincrementaldecoder("utf-16-le" if head[0] else "utf-16-be")("replace").decode
    return False


def _mb(size: int) -> int:
    return size // (1024 * 1024)
