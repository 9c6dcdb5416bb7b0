"""Atomic output: write to a temporary file beside the target, then rename over it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError


def atomic_write(target: Path, write: Callable[[Path], None]) -> Path:
    """Call write(tmp_path) and rename the temporary file to target; return target.

    An existing target is replaced only after the new file is complete, so an interrupted
    run never leaves a truncated document. Failures become one Chinese sentence.
    """
    target = Path(target)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".tmp", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"无法在 {folder} 写入文件（{_reason(exc)}），请换一个有写入权限的目录。") from exc
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"写入 {target} 失败（{_reason(exc)}），原有文件未被改动。") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def _reason(exc: OSError) -> str:
    import errno

    return {
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "磁盘为只读",
        errno.ENOENT: "目录不存在",
        errno.EISDIR: "目标是一个文件夹",
    }.get(exc.errno or 0, exc.strerror or str(exc))


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
    import re
    import unicodedata

    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", unicodedata.normalize("NFC", name))
    cleaned = cleaned.strip().strip(" .").replace("..", "_")
    cut = cleaned.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")
    return cut.strip().strip(" .")


def report_filename(dept_name: str, year: int | None, kind: str = "部门", suffix: str = ".docx") -> str:
    """Return <部门名称><年度>年度部门决算.docx, sanitized; a long name is shortened, never the year part."""
    tail = _clean(f"{year or ''}年度{kind or '部门'}决算", 60)
    head = _clean(dept_name or "", MAX_STEM_BYTES - len(tail.encode())) or "未命名部门"
    return safe_filename(head + tail) + suffix
