"""Run tasks in worker processes, one outcome per task, surviving a worker process that dies."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

#: Worker processes are replaced after this many tasks, so a slow leak cannot grow without bound.
MAX_TASKS_PER_CHILD = 50
#: Modules the forkserver imports once, so every worker starts with them loaded.
PRELOAD = ["genreport.batch", "genreport.api", "genreport.excel", "genreport.render"]

Task = tuple[int, tuple[Any, ...]]
T = TypeVar("T")
#: Why a task has no outcome when its worker process died twice.
CRASH = "处理该工作簿时工作进程意外退出（可能是内存不足或文件异常），请单独运行 genreport 检查它"


def run_parallel(task: Callable[..., T], tasks: dict[int, tuple[Any, ...]], jobs: int, done: Callable[[int, T], None],
                 failed: Callable[[str], T]) -> None:
    """Run task(*args) for every key in worker processes and call done(key, outcome) as each ends.

    task must catch its own exceptions and return a picklable outcome. When a worker process dies, the pool
    is rebuilt and the tasks that were in flight are retried one at a time in a fresh process; the one that
    kills its process again gets failed(CRASH) as its outcome. Any other failure to get an outcome becomes
    failed(message).
    """
    queue: deque[Task] = deque(tasks.items())
    while queue:
        for suspect in _run_pool(task, queue, jobs, done, failed):
            if _run_pool(task, deque([suspect]), 1, done, failed):
                done(suspect[0], failed(CRASH))


def _run_pool(task: Callable[..., T], queue: deque[Task], jobs: int, done: Callable[[int, T], None],
              failed: Callable[[str], T]) -> list[Task]:
    """Run queued tasks with at most 2×jobs in flight; return the in-flight ones if the pool broke."""
    from concurrent.futures import FIRST_COMPLETED, Future, wait
    from concurrent.futures.process import BrokenProcessPool

    suspects: list[Task] = []
    with _executor(jobs) as pool:
        running: dict[Future[T], Task] = {}
        while (queue and not suspects) or running:
            while queue and not suspects and len(running) < 2 * jobs:
                item = queue.popleft()
                running[pool.submit(task, *item[1])] = item
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                item = running.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    suspects.append(item)
                    continue
                except Exception as exc:  # noqa: BLE001 - e.g. an outcome that cannot be unpickled
                    outcome = failed(f"程序内部出错（{type(exc).__name__}：{exc}），请反馈给技术支持")
                done(item[0], outcome)
    return suspects


def _executor(jobs: int) -> Any:
    """Return a process pool: forkserver (spawn where there is none), workers renewed every few tasks."""
    from concurrent.futures import ProcessPoolExecutor

    from .collector import worker_started

    extra = {"max_tasks_per_child": MAX_TASKS_PER_CHILD} if sys.version_info >= (3, 11) else {}
    return ProcessPoolExecutor(max_workers=jobs, mp_context=process_context(), initializer=worker_started, **extra)


def process_context() -> Any:
    """Return the multiprocessing context for workers: forkserver preloading PRELOAD, spawn where there is none."""
    import multiprocessing

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(PRELOAD)
    return context
