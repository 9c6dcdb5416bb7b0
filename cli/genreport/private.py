"""Private temporary folders: one per-user root (0700, ownership verified), a 0700 folder per use, files 0600.

Every temporary folder genreport makes (the web page's requests, LibreOffice's run folders) lives in
`<temp>/genreport-<uid>/<kind>-<pid>-<random>/`. The root is created 0700 and refused when another account owns it
or it is a link (someone created it first to read what genreport writes); each folder is made by `mkdtemp` (0700)
and names the process that made it, so the folders of processes that are gone (killed) are removed by the next
genreport of the same user (`sweep_stale`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import GenreportError, OutputError
from .oserrors import advice, reason
from .visible import printable

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def root_path() -> Path:
    """Return where this user's root folder is (it may not exist yet)."""
    owner = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"genreport-{owner}"


def user_root() -> Path:
    """Return this user's private root folder, creating it 0700; GenreportError when it is not safely ours."""
    root = root_path()
    try:
        root.mkdir(mode=FOLDER_MODE, exist_ok=True)
        info = os.lstat(root)
    except OSError as exc:
        raise OutputError.of("无法创建临时文件夹“{folder}”（{reason}），{advice}。", folder=Path(printable(str(root))),
                             reason=reason(exc), advice=advice(exc)) from None
    if not hasattr(os, "getuid"):
        return root
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise GenreportError.of("临时文件夹“{folder}”不属于当前用户（可能被其他账户抢先创建），为保护报告内容已停止；"
                                "请让管理员删除它，或设置环境变量 TMPDIR 指向自己的文件夹后重试。",
                                folder=Path(printable(str(root))))
    if stat.S_IMODE(info.st_mode) != FOLDER_MODE:
        os.chmod(root, FOLDER_MODE)
    return root


def private_folder(kind: str) -> Path:
    """Return a new 0700 folder <kind>-<pid>-<random> in the user's root (its owner is this process)."""
    root = user_root()
    try:
        return Path(tempfile.mkdtemp(prefix=f"{kind}-{os.getpid()}-", dir=root))
    except OSError as exc:
        raise OutputError.of("无法在“{folder}”中创建临时文件夹（{reason}），{advice}。", folder=Path(printable(str(root))),
                             reason=reason(exc), advice=advice(exc)) from None


@contextlib.contextmanager
def temporary_folder(kind: str) -> Iterator[Path]:
    """A private folder for one piece of work, removed afterwards."""
    folder = private_folder(kind)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def owner_pid(folder: Path) -> int | None:
    """Return the id of the process that made folder (named <kind>-<pid>-<random>), None for other names."""
    parts = folder.name.split("-")
    return int(parts[1]) if len(parts) >= 3 and parts[1].isdigit() else None


def sweep_stale(root: Path | None = None) -> list[Path]:
    """Remove (and return) the folders in the user's root whose process no longer exists."""
    root = root or root_path()
    removed = []
    with contextlib.suppress(OSError):
        for folder in root.iterdir():
            pid = owner_pid(folder)
            if pid is not None and pid != os.getpid() and not alive(pid):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def alive(pid: int) -> bool:
    """Return True when a process pid exists (also when it belongs to another account)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def create(path: Path) -> int:
    """Create path as a new 0600 file (never following a link, never replacing a file) and return its descriptor."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, FILE_MODE)


def copy_file(source: Path, target: Path) -> None:
    """Copy source to a new 0600 file target."""
    with open(source, "rb") as reader, os.fdopen(create(target), "wb") as writer:
        shutil.copyfileobj(reader, writer, 1024 * 1024)


def write_text(target: Path, text: str) -> None:
    """Write text (UTF-8) to target as a new 0600 file (replacing the file there)."""
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    with os.fdopen(create(target), "w", encoding="utf-8") as writer:
        writer.write(text)


def make_folder(path: Path) -> Path:
    """Create path as a 0700 folder (its parents must exist) and return it."""
    path.mkdir(mode=FOLDER_MODE)
    return path
