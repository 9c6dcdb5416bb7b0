"""How genreport processes use Python's cyclic garbage collector (the gain is measured in benchmarks/)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run one command's work on one workbook without cyclic collection passes (restored afterwards).

    Reading, checking and rendering one workbook allocate a few hundred thousand objects; the collector's passes
    over them cost about a tenth of the run and free little (the workbook and the document live to the end).
    Long-lived work (batch, serve) keeps the collector running.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def collected_afterwards() -> Iterator[None]:
    """A batch worker's one workbook: no collection passes while it is processed, one pass over the young
    generation after it.

    A worker handles workbook after workbook; one pass per workbook frees each one's garbage (memory stays flat:
    53 MB over 1,000 workbooks) and costs less than the passes the collector would make on its own. What survives
    it (caches) moves to an older generation and is not scanned again; workers are replaced every 50 workbooks.
    """
    try:
        with collector_paused():
            yield
    finally:
        gc.collect(0)  # all of this workbook's objects are still young: the oldest generations need no pass


def worker_started() -> None:
    """A batch worker: what it inherited from the forkserver (the preloaded modules) is left out of every pass."""
    gc.freeze()
