"""genreport serve: start the local web page (开始 / 检查 / 生成 / 批量) and print its address."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .group import cli

if TYPE_CHECKING:
    import socket


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址。默认只有本机能访问；其他地址（如 0.0.0.0）需要访问令牌。")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="端口号（0 表示任选一个空闲端口）。")
@click.option("--open", "open_browser", is_flag=True, help="启动后用默认浏览器打开页面。")
@click.option("--token", default=None, envvar="GENREPORT_TOKEN", show_envvar=True,
              help="访问令牌（至少 16 个字符，含大写字母、小写字母、数字、符号中的三种）。监听非本机地址时必需，"
                   "不指定则自动生成并显示在地址中。写在命令行上的令牌本机其他用户可以看到，请优先用 --token-file 或环境变量。")
@click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="从文件读取访问令牌（文件只应本人可读：chmod 600）。")
@click.option("--max-upload-mb", type=click.IntRange(min=1), default=100, show_default=True,
              help="每次上传的总大小上限（MB）。")
@click.option("--max-files", type=click.IntRange(min=1), default=200, show_default=True, help="每次最多上传的工作簿数。")
@click.option("--timeout", type=click.IntRange(min=1), default=300, show_default=True,
              help="处理一份工作簿的时间上限（秒），超时即停止该任务。")
@click.option("--profile", "folders", multiple=True, metavar="文件夹",
              help="另外提供的报告样式（genreport template export 导出并修改过的文件夹，可写多次）。")
def serve_command(host: str, port: int, open_browser: bool, token: str | None, token_file: Path | None,
                  max_upload_mb: int, max_files: int, timeout: int, folders: tuple[str, ...]) -> None:
    """启动本机网页：会计在浏览器里下载空白工作簿、检查、生成文档和批量生成，不需要命令行。

    \b
    示例：
      genreport serve                                  （打开 http://127.0.0.1:8765/）
      genreport serve --open                           （并自动打开浏览器）
      genreport serve --host 0.0.0.0 --port 8080 --token-file 令牌.txt   （局域网内其他电脑访问）
      genreport serve --profile 示例市样式/               （页面上也可选导出修改过的样式）
    """
    from ..errors import GenreportError
    from ..web import Limits, Settings, create_app, weak_token

    if token_file is not None:
        token = read_token_file(token_file)
    if token is not None and (weak := weak_token(token)):
        raise GenreportError(weak)
    token = access_token(host, token)
    mb = 1024 * 1024
    limits = Limits(request_bytes=max_upload_mb * mb, file_bytes=min(20, max_upload_mb) * mb, files=max_files)
    try:
        sock = _bind(host, port)
    except OSError as exc:
        raise GenreportError(f"无法在 {host}:{port} 上启动网页（{exc.strerror or exc}），端口可能已被占用，"
                             "请用 --port 换一个端口。") from None
    url = _url(host, sock.getsockname()[1], token)
    app = create_app(Settings(token=token, limits=limits, timeout=float(timeout),
                              folders=tuple(str(Path(f).resolve()) for f in folders)))
    click.echo(f"genreport 网页已启动：{url}")
    click.echo("在浏览器中打开上面的地址；按 Ctrl+C 停止。" + ("（地址中含访问令牌，请只发给需要的人）" if token else ""))
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    _run(app, sock)


def read_token_file(path: Path) -> str:
    """Return the token written in path (one line); GenreportError when it cannot be read or others can read it."""
    import os
    import stat

    from ..errors import GenreportError
    from ..oserrors import reason
    from ..visible import printable

    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8-sig").strip()
    except (OSError, UnicodeDecodeError) as exc:
        why = reason(exc) if isinstance(exc, OSError) else "不是 UTF-8 文本"
        raise GenreportError(f"无法读取令牌文件“{printable(str(path))}”（{why}），请检查路径。") from None
    if hasattr(os, "getuid") and stat.S_IMODE(mode) & 0o077:
        raise GenreportError(f"令牌文件“{printable(str(path))}”其他用户也能读取，请先执行 chmod 600 "
                             f"{printable(str(path))} 再启动。")
    if not text or "\n" in text:
        raise GenreportError(f"令牌文件“{printable(str(path))}”应只含一行令牌，请检查内容。")
    return text


def access_token(host: str, token: str | None) -> str | None:
    """Return the token to require: the one given, else a new one when host is reachable from other machines."""
    import secrets

    return token if token is not None or is_loopback(host) else secrets.token_urlsafe(16)


def is_loopback(host: str) -> bool:
    """Return True when host is only reachable from this machine (127.x, ::1, localhost)."""
    import ipaddress

    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _url(host: str, port: int, token: str | None) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def server_config(app: object) -> Any:
    """Return the uvicorn configuration: quiet, and slow or half-sent requests cut off (web/transport.py)."""
    import uvicorn

    from ..web import bounded

    return uvicorn.Config(app, http=bounded(), log_level="warning", access_log=False, timeout_graceful_shutdown=5)


def _run(app: object, sock: socket.socket) -> None:
    import uvicorn

    server = uvicorn.Server(server_config(app))
    with _stopped_on_hangup(server):
        server.run(sockets=[sock])


@contextlib.contextmanager
def _stopped_on_hangup(server: Any) -> Iterator[None]:
    """Stop the server the way Ctrl+C does when its terminal window is closed (SIGHUP), unless nohup ignores it."""
    import signal

    hangup = getattr(signal, "SIGHUP", None)
    previous = signal.getsignal(hangup) if hangup is not None else signal.SIG_IGN
    if previous is signal.SIG_IGN:
        yield
        return
    signal.signal(hangup, lambda _signum, _frame: setattr(server, "should_exit", True))
    try:
        yield
    finally:
        signal.signal(hangup, previous)
