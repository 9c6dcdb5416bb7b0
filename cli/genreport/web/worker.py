"""Run slow work in a supervised worker process with a time limit: a crash or a hang becomes one Chinese sentence.

A batch gets a fresh process (forked from the preloaded forkserver) in a process group of its own; single
workbooks go to warm workers (warm.py), which use the same helpers; runner.py decides which. When a task times out
or its process dies, the whole group is killed, so nothing it started (a batch's pool, LibreOffice) outlives it.
"""

from __future__ import annotations

import os
import signal
import time
import traceback
from collections.abc import Callable, Mapping
from typing import Any

CRASHED = ("处理时工作进程意外退出（可能是内存不足或文件异常），请重试；"
           "仍然出错时请在“② 检查”中检查该工作簿，或把它交给技术支持。")


def timed_out(seconds: float) -> str:
    """Return the sentence shown when a task ran longer than its limit."""
    return (f"处理超过 {seconds:.0f} 秒仍未完成，已停止；工作簿可能过大或异常，"
            "请确认它是“① 开始”中下载的空白工作簿填成的，或把它交给技术支持。")


def supervise(task: Callable[..., dict[str, Any]], args: tuple[Any, ...], limit: float,
              progress: Callable[[Any], None] | None = None, running: set[Any] | None = None) -> dict[str, Any]:
    """Run task in a new process and wait at most limit seconds for its outcome (listed in running meanwhile)."""
    from ..pool import process_context

    context = process_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, task, args, progress is not None, os.getpid()),
                              daemon=False)
    process.start()
    sender.close()
    running = set() if running is None else running
    running.add(process)
    deadline = time.monotonic() + limit
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not receiver.poll(remaining):
                return {"failure": timed_out(limit)}
            try:
                kind, payload = receiver.recv()
            except (EOFError, OSError):
                return {"failure": CRASHED}
            if kind != "progress":
                return payload
            if progress is not None:
                progress(payload)
    finally:
        receiver.close()
        stop(process)
        running.discard(process)


def stop(process: Any) -> None:
    """Kill the task's process group (the task and everything it started), then reap the process."""
    if process.pid is not None and hasattr(os, "killpg"):
        try:  # the group id is the task's own pid (it called setsid); it cannot be reused before the join
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if process.is_alive():
        process.kill()
    process.join(10)


def _child(sender: Any, task: Callable[..., dict[str, Any]], args: tuple[Any, ...], with_progress: bool,
           server: int) -> None:
    """Worker process: run the task and send its outcome; failures become one Chinese sentence.

    When the server is gone (killed), the task ends with everything it started: nobody waits for its outcome.
    """
    own_group(server)
    os.umask(0o077)  # everything the task writes (uploads' outputs, a batch's files) is for this account only
    sender.send(("done", outcome_of(sender, task, args, with_progress)))
    sender.close()


def outcome_of(sender: Any, task: Callable[..., dict[str, Any]], args: tuple[Any, ...],
               with_progress: bool) -> dict[str, Any]:
    """Return task(*args) (its progress sent through sender); an exception becomes one Chinese sentence.

    A GenreportError is sent too (under "error"), so that the page names the files it mentions (failure_text).
    """
    from ..errors import GenreportError

    extra = {"progress": lambda value: sender.send(("progress", value))} if with_progress else {}
    try:
        outcome = task(*args, **extra)
    except GenreportError as exc:
        plain = GenreportError.of(exc.template, **dict(exc.fields))  # the server never imports the raiser's module
        outcome = {"failure": str(exc), "error": plain}
    except MemoryError:
        outcome = {"failure": "内存不足，工作簿过大或已损坏，请确认文件是否正确。"}
    except Exception as exc:  # noqa: BLE001 - the page must never show a traceback; the console may
        traceback.print_exc()
        outcome = {"failure": f"程序内部出错（{type(exc).__name__}），请刷新页面后重试；仍然出错时请把该工作簿"
                              "交给技术支持。"}
    return outcome


def failure_text(outcome: dict[str, Any], names: Mapping[str, str]) -> str:
    """Return an outcome's failure for the page: an error's sentence naming files as the user uploaded them (names:
    server path or stored name → the user's name; any other path by its last part), in the page's wording."""
    from .steps import for_page
    from .uploads import PageNames

    error = outcome.get("error")
    return for_page(error.text(PageNames(names)) if error is not None else outcome["failure"])


def own_group(server: int) -> None:
    """Lead a process group of this process's own, ended with everything in it once the server is gone."""
    import threading

    if hasattr(os, "setsid"):
        os.setsid()
        threading.Thread(target=_end_with, args=(server,), daemon=True).start()


def _end_with(server: int) -> None:
    """End this task's whole process group once the server process no longer exists."""
    from ..private import alive

    while alive(server):
        time.sleep(0.5)
    os.killpg(os.getpgrp(), signal.SIGKILL)
