"""Processes and temporary folders a test watches: what is still running that names a folder."""

from __future__ import annotations

import os
from pathlib import Path


def processes_mentioning(marker: Path) -> list[int]:
    """Return the ids of running processes whose command line or environment names marker."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            seen = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
        except OSError:
            continue
        if str(marker).encode() in seen:
            found.append(int(entry.name))
    return found
