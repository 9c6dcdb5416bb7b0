"""Atomic output: write to a temporary file beside the target, then rename over it."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError


def atomic_write(target: Path, write: Callable[[Path], None]) -> Path:
    """Call write(tmp_path) and rename the temporary file to target; return target.

    An existing target is replaced only after the new file is complete and flushed to disk, so a
    failed, interrupted or killed run never leaves a truncated document (at worst a hidden
    .tmp file beside it). Failures become one Chinese sentence (OutputError).
    """
    target = Path(target)
    tmp = _temporary(target)
    existed = target.exists()
    try:
        write(tmp)
        _flush(tmp, target if existed else None)
        os.replace(tmp, target)
    except OSError as exc:
        kept = "原有文件未被改动" if existed else "没有留下不完整的文件"
        raise OutputError(f"写入“{target}”失败（{_reason(exc)}），{kept}，请处理后重试。") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return target


def _temporary(target: Path) -> Path:
    """Return a new empty hidden file beside target (same file system, so the final rename is atomic)."""
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".~genreport-", suffix=target.suffix + ".tmp", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"无法在“{folder}”中写入文件（{_reason(exc)}），请换一个有写入权限的文件夹。") from exc
    return Path(name)


def _flush(tmp: Path, previous: Path | None) -> None:
    """Give tmp the permissions the target would get (mkstemp makes it private) and force it to disk."""
    if previous is not None:
        mode = previous.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
    with tmp.open("rb+") as stream:
        os.fsync(stream.fileno())


def _reason(exc: OSError) -> str:
    return {
        errno.EACCES: "没有写入权限，或文件正在 Word/WPS 中打开",
        errno.EPERM: "没有写入权限，或文件正在 Word/WPS 中打开",
        errno.ENOSPC: "磁盘空间不足",
        errno.EDQUOT: "磁盘配额已用完",
        errno.EROFS: "磁盘为只读",
        errno.ENOENT: "文件夹不存在",
        errno.EISDIR: "目标是一个文件夹",
        errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
        errno.EEXIST: "路径中有同名文件",
        errno.ENAMETOOLONG: "文件名太长",
    }.get(exc.errno or 0, exc.strerror or type(exc).__name__)


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


def report_filename(dept_name: str, year: int | None, kind: str = "部门", suffix: str = ".docx",
                    pattern: str = "{year}年度{kind}决算") -> str:
    """Return <部门名称><年度>年度部门决算.docx (the part after the name from pattern), sanitized; a long name is
    shortened, never the year part."""
    tail = _clean(pattern.replace("{year}", str(year or "")).replace("{kind}", kind or "部门"), 60)
    head = _clean(dept_name or "", MAX_STEM_BYTES - len(tail.encode())) or "未命名部门"
    return safe_filename(head + tail) + suffix
