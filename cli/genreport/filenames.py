"""File names and identities: safe names on Windows and Unix, the report's default name, same-file tests."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from .errors import OutputError
from .visible import printable


def file_key(path: Path) -> tuple[int, int] | None:
    """Return the identity (device, inode) of an existing file, None when there is none."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def same_file(a: Path, b: Path) -> bool:
    """Return True when a and b name the same file (resolving links and case)."""
    try:
        return Path(a).resolve() == Path(b).resolve() or (Path(b).exists() and os.path.samefile(a, b))
    except OSError:
        return False


_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                     *(f"{d}{i}" for d in ("COM", "LPT") for i in (*range(1, 10), "¹", "²", "³"))}


#: Longest file-name stem in UTF-8 bytes: leaves room for the suffix and atomic_write's temporary name
#: within the 255-byte limit of most file systems.
MAX_STEM_BYTES = 180


def safe_filename(name: str, fallback: str = "未命名", max_bytes: int = MAX_STEM_BYTES) -> str:
    """Return name made safe as one file-name component on Windows and Unix.

    Separators, reserved characters and control characters become "_", leading/trailing spaces and dots
    go, reserved device names (CON, NUL, COM1…) get a "_" prefix, and the result is cut to max_bytes.
    An empty result gives fallback.
    """
    cleaned = _clean(name, max_bytes)
    if not cleaned:
        return fallback
    if cleaned.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        cleaned = _clean(f"_{cleaned}", max_bytes)
    return cleaned


def _clean(name: str, max_bytes: int) -> str:
    visible = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch) not in ("Cf", "Cs"))
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f\u2028\u2029]', "_", visible)
    cleaned = cleaned.strip().strip(" .").replace("..", "_")
    cut = cleaned.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")
    return cut.strip().strip(" .")


def report_filename(dept_name: str, year: int | None, kind: str = "部门", suffix: str = ".docx",
                    pattern: str = "{year}年度{kind}决算") -> str:
    """Return <部门名称><年度>年度部门决算.docx (the part after the name from pattern), sanitized; a long name is
    shortened, never the year part."""
    tail = _clean(pattern.replace("{year}", str(year or "")).replace("{kind}", kind or "部门"), 60)
    head = _clean(dept_name or "", MAX_STEM_BYTES - len(tail.encode())) or "未命名部门"
    return safe_filename(head + tail) + suffix


def refuse_overlap(outputs: dict[Path, str], inputs: dict[Path, str]) -> None:
    """Raise OutputError when an output path names one of the inputs (same file by identity, any spelling).

    outputs and inputs map a path to what it is for the message ("Word 文档", "模板"…).
    """
    for output, made in outputs.items():
        for source, role in inputs.items():
            if source is not None and same_file(output, source):
                raise OutputError.of("{made}的输出路径“{file}”就是{role}，为避免覆盖它，请另选输出文件名或文件夹。",
                                     made=made, file=Path(printable(str(output))), role=role)
