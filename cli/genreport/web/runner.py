"""The Runner: single workbooks to warm workers (warm.py), batches to fresh supervised processes (worker.py).

At most `slots` tasks run at once in each lane (queue.py); the others wait for a free slot, so one large workbook
does not stop other users.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .queue import QUICK, Lanes
from .warm import Warm
from .worker import stop, supervise


class Runner:
    """Run tasks in worker processes: at most slots at once, each stopped after timeout seconds."""

    def __init__(self, slots: int, timeout: float, warm: Warm | None = None) -> None:
        self.timeout = timeout
        self.lanes = Lanes(slots)
        self._running: set[Any] = set()
        self.warm = warm or Warm(slots)

    def run(self, task: Callable[..., dict[str, Any]], args: tuple[Any, ...], timeout: float | None = None,
            progress: Callable[[Any], None] | None = None, lane: str = QUICK,
            ticket: object = None) -> dict[str, Any]:
        """Return task(*args) computed in a worker process, or {"failure": sentence} (with "error": the task's
        GenreportError, whose file fields the page names as uploaded: worker.failure_text).

        The task waits its turn in its lane (queue.py: single workbooks and batches apart), known by ticket.
        With progress, the task is called with a progress= callable whose values reach progress here.
        """
        with self.lanes.slot(lane, object() if ticket is None else ticket):
            if lane == QUICK:
                return self.warm.run(task, args, timeout or self.timeout, progress)
            return supervise(task, args, timeout or self.timeout, progress, self._running)

    def stop_all(self) -> None:
        """Kill every task still running and every warm worker (the server is shutting down)."""
        for process in list(self._running):
            stop(process)
        self.warm.stop_all()
