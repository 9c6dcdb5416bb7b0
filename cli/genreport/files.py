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
    existed, written = _exists(target), False
    try:
        write(tmp)
        _flush(tmp, target if existed else None)
        os.replace(tmp, target)
        written = True
    except OSError as exc:
        kept = "原有文件未被改动" if existed else "没有留下不完整的文件"
        raise OutputError(f"写入“{printable(str(target))}”失败（{reason(exc)}），{kept}，"
                          f"{advice(exc)}。") from None
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
        raise OutputError(f"无法在“{printable(str(folder))}”中写入文件（{reason(exc)}），{advice(exc)}。") from None
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


def reason(exc: OSError) -> str:
    """Return the Chinese name of an OS error (never the system's English text)."""
    return _REASONS.get(exc.errno or 0, f"系统错误 {exc.errno}" if exc.errno else type(exc).__name__)


def advice(exc: OSError) -> str:
    """Return what to do about an OS error, as the end of a sentence."""
    return _ADVICE.get(exc.errno or 0, "请处理后重试")


_REASONS = {
        errno.EACCES: "没有写入权限，或文件正在 Word/WPS 中打开",
        errno.EPERM: "没有写入权限，或文件正在 Word/WPS 中打开",
        errno.ENOSPC: "磁盘空间不足",
        errno.EDQUOT: "磁盘配额已用完",
        errno.EROFS: "磁盘为只读",
        errno.ENOENT: "文件夹不存在",
        errno.EISDIR: "目标是一个文件夹",
        errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
        errno.EEXIST: "路径中有同名文件",
        errno.ENAMETOOLONG: "文件名或路径太长",
        errno.EFBIG: "文件超过了该磁盘允许的单个文件大小",
        errno.EIO: "磁盘读写出错",
        errno.ELOOP: "路径中的快捷方式（符号链接）循环",
        errno.EBUSY: "文件正被其他程序占用",
        errno.ETXTBSY: "文件正被其他程序占用",
        errno.EMFILE: "同时打开的文件太多",
        errno.EINVAL: "文件名中有该磁盘不允许的字符",
        errno.EPIPE: "接收输出的程序已关闭",
    }
_ADVICE = {
    errno.EACCES: "请换一个有写入权限的文件夹，或关闭正在使用该文件的程序后重试",
    errno.EPERM: "请换一个有写入权限的文件夹，或关闭正在使用该文件的程序后重试",
    errno.ENOSPC: "请清理磁盘空间或换一个磁盘后重试",
    errno.EDQUOT: "请清理空间或换一个位置后重试",
    errno.EROFS: "请换一个可写的磁盘或文件夹后重试",
    errno.ENOENT: "请先创建该文件夹或检查路径",
    errno.EISDIR: "请指定文件名而不是文件夹",
    errno.ENOTDIR: "请检查路径，把其中的同名文件改名或换一个位置",
    errno.EEXIST: "请检查路径，把其中的同名文件改名或换一个位置",
    errno.ENAMETOOLONG: "请用较短的文件名或较浅的文件夹",
    errno.EFBIG: "请换一个磁盘（例如 FAT32 格式的 U 盘单个文件不能超过 4 GB）后重试",
    errno.EINVAL: "请换一个文件名或换一个磁盘后重试",
}


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


def printable(text: str) -> str:
    """Return text safe to show on a terminal or to write into a cell.

    Control, bidi, zero-width and other invisible characters become visible escapes (\\x1b, \\u202e);
    a file name whose bytes are not UTF-8 (GBK from Windows) is decoded as GB18030. Newlines and tabs stay.
    """
    import unicodedata

    if text.isprintable():
        return text
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeDecodeError as exc:
        text = exc.object.decode("gb18030", "backslashreplace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(_escape(ch) if ch not in "\n\t" and unicodedata.category(ch) in _INVISIBLE else ch
                   for ch in text)


_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def refuse_overlap(outputs: dict[Path, str], inputs: dict[Path, str]) -> None:
    """Raise OutputError when an output path names one of the inputs (same file by identity, any spelling).

    outputs and inputs map a path to what it is for the message ("Word 文档", "模板"…).
    """
    for output, made in outputs.items():
        for source, role in inputs.items():
            if source is not None and same_file(output, source):
                raise OutputError(f"{made}的输出路径“{printable(str(output))}”就是{role}，为避免覆盖它，"
                                  "请另选输出文件名或文件夹。")
