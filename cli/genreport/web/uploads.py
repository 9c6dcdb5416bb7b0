"""Uploaded files: stored under names the server chooses, within per-request limits; archives unpacked safely.

A client's file name is only ever shown (escaped) on the page and in download names, never used as a
path: each file is written as wb-NNNN<suffix> inside the request's own folder.
"""

from __future__ import annotations

import itertools
import os
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import private

MB = 1024 * 1024
CHUNK = 1024 * 1024
#: Suffixes kept from the client's name so the guard can name the file type; anything else becomes none.
KNOWN_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et", ".csv", ".txt", ".zip", ".docx", ".doc", ".pdf"}


@dataclass(frozen=True)
class Limits:
    """Per-request limits: the whole request body, one file (also each workbook inside a .zip), the file count."""

    request_bytes: int = 100 * MB
    file_bytes: int = 20 * MB
    files: int = 200


class Refused(Exception):
    """A request the server will not or cannot do: one Chinese sentence and an HTTP status."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True)
class Upload:
    """One uploaded workbook: where the server stored it, and the name the user knows it by."""

    path: Path
    name: str


def display_name(client: str | None, fallback: str = "工作簿.xlsx") -> str:
    """Return the last component of a client's file name as printable text (for showing only)."""
    text = unicodedata.normalize("NFC", client or "").replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if ch.isprintable()).strip()
    return text[:120] or fallback


def stored_name(index: int, client: str) -> str:
    """Return the server's name for upload number index: wb-0001.xlsx (the suffix only if it is a known one)."""
    suffix = Path(client).suffix.lower()
    return f"wb-{index:04d}{suffix if suffix in KNOWN_SUFFIXES else ''}"


async def save_uploads(files: list[Any], folder: Path, limits: Limits) -> list[Upload]:
    """Write the uploaded files (Starlette UploadFile) into folder, refusing too many or too large ones."""
    files = [f for f in files if hasattr(f, "read") and (f.filename or f.size)]
    if not files:
        raise Refused("请先选择要上传的工作簿文件。", 400)
    if len(files) > limits.files:
        raise Refused(too_many(limits), 413)
    folder.mkdir(mode=0o700, exist_ok=True)
    saved = []
    for index, upload in enumerate(files, 1):
        name = display_name(upload.filename)
        target = folder / stored_name(index, name)
        with os.fdopen(private.create(target), "wb") as out:
            size = 0
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > limits.file_bytes:
                    raise Refused(too_big(name, limits), 413)
                out.write(chunk)
        saved.append(Upload(target, name))
    return saved


def size_text(size: int) -> str:
    """Return a limit as 20 MB (or 300 KB below one MB)."""
    return f"{size // MB} MB" if size >= MB else f"{size // 1024} KB"


def too_many(limits: Limits) -> str:
    return f"一次最多处理 {limits.files} 个工作簿，请分批上传。"


def too_big(name: str, limits: Limits) -> str:
    return (f"“{name}”超过 {size_text(limits.file_bytes)} 的上限，不像是一份部门决算工作簿，"
            "请确认选择的文件是否正确。")


def expand_archives(uploads: list[Upload], folder: Path, limits: Limits) -> list[Upload]:
    """Return the workbooks: uploaded .xlsx files as they are, and every .xlsx inside an uploaded .zip."""
    numbers = itertools.count(len(uploads) + 1)
    found: list[Upload] = []
    for upload in uploads:
        found.extend(_unpack(upload, folder, limits, numbers) if _is_archive(upload.path) else [upload])
        if len(found) > limits.files:
            raise Refused(too_many(limits), 413)
    if not found:
        raise Refused("压缩包里没有找到任何 .xlsx 工作簿，请检查后重新上传。")
    return found


def _is_archive(path: Path) -> bool:
    """Return True for a zip that is not itself a workbook (judged by content, not by the client's name)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" not in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _unpack(upload: Upload, folder: Path, limits: Limits, numbers: Iterator[int]) -> list[Upload]:
    """Extract the .xlsx members of an archive under server-chosen names, within the size limits."""
    found, total = [], 0
    try:
        with zipfile.ZipFile(upload.path) as archive:
            for info in (i for i in archive.infolist() if _wanted(i)):
                name = member_name(info)
                target = folder / stored_name(next(numbers), ".xlsx")
                total += _extract(archive, info, target, name, limits)
                if total > limits.request_bytes:
                    raise Refused(f"压缩包“{upload.name}”解压后超过 {size_text(limits.request_bytes)} 的上限，请分批上传。", 413)
                found.append(Upload(target, name))
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused(f"压缩包“{upload.name}”已损坏，无法解压（{type(exc).__name__}），请重新压缩后上传。") from None
    return found


def _wanted(info: zipfile.ZipInfo) -> bool:
    base = member_name(info).rsplit("/", 1)[-1]
    return (not info.is_dir() and base.lower().endswith(".xlsx") and not base.startswith(("~$", "."))
            and not info.filename.startswith("__MACOSX/"))


def member_name(info: zipfile.ZipInfo) -> str:
    """Return a member's path for display; names without the UTF-8 flag are usually GBK (Windows 压缩)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    text = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable()).strip("/ ")
    return text[-120:] or "工作簿.xlsx"


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, name: str, limits: Limits) -> int:
    """Copy one member to target and return its size; a damaged member keeps what could be read.

    The size is counted while reading (the archive's declared sizes may lie); the guard then tells
    the user what is wrong with a damaged or truncated workbook, as for any other file.
    """
    size = 0
    with os.fdopen(private.create(target), "wb") as out:
        try:
            with archive.open(info) as source:
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if size > limits.file_bytes:
                        raise Refused(too_big(name, limits), 413)
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError):
            pass  # encrypted, unsupported compression or corrupt data: the batch reports the file as damaged
    return size


def names_of(uploads: list[Upload], folder: Path) -> dict[str, str]:
    """Return the name the user gave each upload by every spelling of its stored file: relative to folder (a task
    that works in folder), absolute, and its stored name (wb-0001.xlsx)."""
    return {key: u.name for u in uploads for key in (str(u.path.relative_to(folder)), str(u.path), u.path.name)}


class PageNames(Mapping[str, str]):
    """How the page names file paths in a sentence (Issue.text, GenreportError.text): an upload's stored path or
    stored name → the name the user gave it; any other path (a server folder, an output) → its last part only.
    """

    def __init__(self, known: Mapping[str, str]) -> None:
        self._known = dict(known)

    def __getitem__(self, path: str) -> str:
        return self._known[path] if path in self._known else Path(path).name

    def __iter__(self) -> Iterator[str]:
        return iter(self._known)

    def __len__(self) -> int:
        return len(self._known)


def scrub(text: str, folders: list[Path]) -> str:
    """Return a sentence that could not carry its paths as fields with the server's folders taken out (a guard).

    Only LibreOffice's notes need it: they may quote LibreOffice's own error, which can name the copy it was
    given in a run folder. Every other sentence names its files by fields (PageNames).
    """
    for folder in sorted({str(f) for f in folders if str(f) not in ("", ".")}, key=len, reverse=True):
        text = text.replace(folder + os.sep, "").replace(folder, "")
    return text
