"""What an operating-system error means, and what to do about it, in Chinese (never the system's English text)."""

from __future__ import annotations

import errno


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
