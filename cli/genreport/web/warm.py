"""Warm workers for single-workbook tasks: pre-started processes with the library loaded, reused and recycled.

A fresh process per task costs its start and the first load of the spec and templates on every generation;
a warm worker has paid both before the first task. Each worker leads a process group of its own (ended with
the server, like a fresh task's). At most `slots` workers exist (the quick lane's capacity). A worker is
replaced by a fresh one after `recycle_after` tasks, when its memory (RSS) passed `memory_mb`, when a task
left a process running in its group (a LibreOffice it started), and — its whole group killed — when a task
ran past its time limit or the worker died.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

from ..pool import MAX_TASKS_PER_CHILD

#: A worker using more memory than this after a task is replaced (MB of resident memory).
MEMORY_MB = 1024
#: How long the server waits at its start for its first worker to warm up (it answers anyway afterwards).
READY_SECONDS = 60.0


class Warm:
    """At most slots warm worker processes; run() hands a task to an idle one (starting one if none is idle)."""

    def __init__(self, slots: int, recycle_after: int = MAX_TASKS_PER_CHILD, memory_mb: int = MEMORY_MB,
                 start: int = 1) -> None:
        self.slots, self.recycle_after, self.memory_mb = max(1, slots), recycle_after, memory_mb
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._stopped = False
        for _ in range(min(start, self.slots)):
            self._idle.append(self._start())
        for worker in self._idle:  # the server answers once its first workers are warm (and their scratch gone)
            worker.wait_ready(READY_SECONDS)

    def run(self, task: Callable[..., dict[str, Any]], args: tuple[Any, ...], limit: float,
            progress: Callable[[Any], None] | None = None) -> dict[str, Any]:
        """Return task(*args) computed by a warm worker within limit seconds, or {"failure": sentence}."""
        with self._lock:
            worker = self._idle.pop() if self._idle else self._start()
        outcome, finished = worker.run(task, args, limit, progress)
        if finished and worker.alone and worker.tasks < self.recycle_after and worker.memory_mb < self.memory_mb:
            with self._lock:
                if not self._stopped and len(self._idle) < self.slots:
                    self._idle.append(worker)
                    return outcome
        if finished:  # it may close a LibreOffice first: the answer does not wait for that
            threading.Thread(target=self._retire, args=(worker, True), daemon=True).start()
        else:
            self._retire(worker, gently=False)
        return outcome

    def stop_all(self) -> None:
        """End every worker and its process group (the server is shutting down)."""
        _pools.discard(self)
        with self._lock:
            self._stopped = True
            workers, self._idle = list(self._all), []
        for worker in workers:
            self._retire(worker, gently=False, replace=False)

    def pids(self) -> list[int]:
        """Return the process ids of the idle workers (for tests)."""
        with self._lock:
            return [worker.process.pid for worker in self._idle]

    def _start(self) -> Worker:
        _stop_at_exit(self)
        worker = Worker()
        self._all.add(worker)
        return worker

    def _retire(self, worker: Worker, gently: bool, replace: bool = True) -> None:
        """End worker (letting it close what it started when gently) and pre-start its replacement."""
        worker.end(gently)
        with self._lock:
            self._all.discard(worker)
            if replace and not self._stopped and not self._idle:
                self._idle.append(self._start())


class Worker:
    """One warm worker process and the pipe it takes tasks from."""

    def __init__(self) -> None:
        from ..pool import process_context

        context = process_context()
        self.connection, theirs = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(theirs, os.getpid()), daemon=False)
        self.process.start()
        theirs.close()
        self.tasks, self.memory_mb, self.ready = 0, 0.0, False
        self._closing = threading.Lock()
        self.alone = True
        """Whether the worker was the only process in its group after its last task."""

    def wait_ready(self, seconds: float) -> None:
        """Wait at most seconds for the worker to have warmed up."""
        try:
            if not self.ready and self.connection.poll(seconds):
                self.ready = self.connection.recv()[0] == "ready"
        except (EOFError, OSError):
            pass

    def run(self, task: Callable[..., dict[str, Any]], args: tuple[Any, ...], limit: float,
            progress: Callable[[Any], None] | None) -> tuple[dict[str, Any], bool]:
        """Return the task's outcome and whether the worker finished it (False: timed out or died)."""
        from .worker import CRASHED, timed_out

        deadline = time.monotonic() + limit
        try:
            self.connection.send((task, args, progress is not None))
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self.connection.poll(remaining):
                    return {"failure": timed_out(limit)}, False
                kind, *message = self.connection.recv()
                payload, *state = message or [None]
                if kind == "ready":
                    self.ready = True
                elif kind != "progress":
                    self.tasks += 1
                    self.memory_mb, self.alone = state
                    return payload, True
                elif progress is not None:
                    progress(payload)
        except (EOFError, OSError, ValueError):
            return {"failure": CRASHED}, False

    def end(self, gently: bool) -> None:
        """Stop the worker: gently lets it close what it started first; then its whole group is killed."""
        from .worker import stop

        if gently:
            try:
                self.connection.send(None)
                self.process.join(5)
            except (OSError, ValueError):
                pass
        with self._closing:  # a retiring thread and the server's shutdown may both end it: close the pipe once
            if not self.connection.closed:
                self.connection.close()
        stop(self.process)


_pools: set[Warm] = set()


def _stop_at_exit(pool: Warm) -> None:
    """Stop pool's workers when this process ends, before multiprocessing waits for its children at exit."""
    if not _pools:
        import atexit
        import multiprocessing.util  # noqa: F401 - its exit handler (which waits for children) registered first

        atexit.register(_stop_pools)  # registered after multiprocessing's own exit handler: runs before it
    _pools.add(pool)


def _stop_pools() -> None:
    for pool in list(_pools):
        pool.stop_all()


def _serve(connection: Any, server: int) -> None:
    """Worker process: take tasks until told to stop; answer each with its outcome, memory and loneliness."""
    from .worker import outcome_of, own_group

    own_group(server)
    os.umask(0o077)  # everything a task writes is for this account only
    _warm_up()
    connection.send(("ready",))
    home = os.getcwd()
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        task, args, with_progress = job
        outcome = outcome_of(connection, task, args, with_progress)
        os.chdir(home)  # a task may change folder (merge does): the next starts where every task starts
        connection.send(("done", outcome, _memory_mb(), _alone()))


def _warm_up() -> None:
    """Do once what the first task would pay for: generate the default profile's blank workbook (forced)."""
    from .. import private
    from ..api import generate_report, init_workbook
    from . import tasks  # noqa: F401 - imported for its side effect: the tasks are loaded

    try:
        with private.temporary_folder("warm") as folder:
            generate_report(init_workbook(folder / "blank.xlsx", None), folder / "out", force=True, pdf=False)
    except Exception:  # noqa: BLE001 - warming up is an optimisation: a task reports any real problem itself
        pass


def _memory_mb() -> float:
    """Return this process's resident memory in MB (0 where it cannot be read)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def _alone() -> bool:
    """Return whether this process is the only one in its process group (False where that cannot be known)."""
    if not hasattr(os, "getpgrp") or not os.path.isdir("/proc"):
        return False
    group, me = os.getpgrp(), os.getpid()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != me:
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if len(fields) > 2 and int(fields[2]) == group:
                return False
    return True
