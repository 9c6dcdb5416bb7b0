"""Fair work: single-workbook tasks and batches wait in separate lanes, each in order, and know their place.

A batch can keep a worker busy for many minutes; single checks and generations have their own lane, so a check
is answered while batches run. In each lane the waiting tasks are served first come, first served, and each can
be asked for its place (1 = next) to show on the page.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

QUICK, BATCH = "quick", "batch"


class Lane:
    """slots tasks at once; the others wait in order."""

    def __init__(self, slots: int) -> None:
        self._free = max(1, slots)
        self._waiting: list[object] = []
        self._changed = threading.Condition()

    @contextlib.contextmanager
    def slot(self, ticket: object) -> Iterator[None]:
        """Wait for this ticket's turn and a free slot; hold the slot meanwhile."""
        with self._changed:
            self._waiting.append(ticket)
            try:
                self._changed.wait_for(lambda: self._free > 0 and self._waiting[0] is ticket)
            finally:
                self._waiting.remove(ticket)
                self._changed.notify_all()
            self._free -= 1
        try:
            yield
        finally:
            with self._changed:
                self._free += 1
                self._changed.notify_all()

    def place(self, ticket: object) -> int:
        """Return the ticket's place among the waiting (1 = next), 0 when it is not waiting."""
        with self._changed:
            return next((i for i, t in enumerate(self._waiting, 1) if t is ticket or t == ticket), 0)


class Lanes:
    """The quick lane (single workbooks: slots) and the batch lane (about half as many, at least one)."""

    def __init__(self, slots: int) -> None:
        self.lanes = {QUICK: Lane(slots), BATCH: Lane(max(1, slots // 2))}

    def slot(self, lane: str, ticket: object) -> contextlib.AbstractContextManager[None]:
        return self.lanes[lane].slot(ticket)

    def place(self, lane: str, ticket: object) -> int:
        return self.lanes[lane].place(ticket)
