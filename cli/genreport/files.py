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


_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: str, fallback: str = "未命名") -> str:
    """Return name made safe as a file name on Windows and Unix (no separators, no reserved names)."""
    import re

    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")
    cleaned = cleaned.replace("..", "_")
    if not cleaned or cleaned.upper().split(".")[0] in _WINDOWS_RESERVED:
        cleaned = f"_{cleaned}" if cleaned else fallback
    return cleaned[:120]


def report_filename(dept_name: str, year: int | None, kind: str = "部门", suffix: str = ".docx") -> str:
    """Return <部门名称><年度>年度部门决算.docx, sanitized."""
    return safe_filename(f"{dept_name or '未命名部门'}{year or ''}年度{kind}决算") + suffix
