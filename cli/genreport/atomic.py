"""Atomic output: write to a temporary file beside the target, then rename over it; backup copies."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError
from .oserrors import advice, reason
from .visible import printable


def atomic_write(target: Path, write: Callable[[Path], None]) -> Path:
    """Call write(tmp_path) and rename the temporary file to target; return target.

    An existing target is replaced only after the new file is complete and flushed to disk, so a
    failed, interrupted or killed run never leaves a truncated document (at worst a hidden
    .tmp file beside it). Failures become one Chinese sentence (OutputError).
    """
    target = Path(target)
    tmp = _temporary(target)
    existed, written = _exists(target), False
    try:
        write(tmp)
        _flush(tmp, target if existed else None)
        os.replace(tmp, target)
        written = True
    except OSError as exc:
        kept = "原有文件未被改动" if existed else "没有留下不完整的文件"
        raise OutputError.of("写入“{file}”失败（{reason}），{kept}，{advice}。", file=Path(printable(str(target))),
                             reason=reason(exc), kept=kept, advice=advice(exc)) from None
    finally:
        if not written:
            with contextlib.suppress(OSError):
                tmp.unlink()
            _collect_quietly()
    return target


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # ENAMETOOLONG, ELOOP…: the write below reports it in one sentence
        return False


def _collect_quietly() -> None:
    """Collect what a failed writer left open (a half-written ZipFile) without its "Exception ignored" noise."""
    import gc
    import sys

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _temporary(target: Path) -> Path:
    """Return a new empty hidden file beside target (same file system, so the final rename is atomic)."""
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".~genreport-", suffix=target.suffix + ".tmp", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise OutputError.of("无法在“{folder}”中写入文件（{reason}），{advice}。", folder=Path(printable(str(folder))),
                             reason=reason(exc), advice=advice(exc)) from None
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


def backup_copy(path: Path) -> Path:
    """Copy path to <stem>.备份<date-time><suffix> beside it (…-2, -3 when taken); return the copy."""
    import shutil
    import time

    path = Path(path)
    stem = f"{path.stem}.备份{time.strftime('%Y%m%d-%H%M%S')}"
    backup, n = path.with_name(stem + path.suffix), 1
    while backup.exists():
        n += 1
        backup = path.with_name(f"{stem}-{n}{path.suffix}")
    shutil.copy2(path, backup)
    return backup
