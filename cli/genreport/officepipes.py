"""The socket files LibreOffice leaves in /tmp when it is ended rather than closed (stdlib only: office_worker.py
runs it under the system python3 too).

LibreOffice listens on `/tmp/OSL_PIPE_<uid>_…` sockets (its single-instance pipe and genreport's connection pipe)
and removes them only when it exits in order. genreport ends LibreOffice's whole process group instead (nothing of
it needs saving), so it removes those files itself: the ones the group's processes hold open, found through /proc
(Linux; elsewhere there is nothing to find and nothing is removed).
"""

from __future__ import annotations

import os
from pathlib import Path

PREFIX = "OSL_PIPE_"


def remove_pipes(group: int) -> None:
    """Remove the LibreOffice socket files that the processes of process group `group` listen on."""
    for path in held_pipes(group):
        try:
            path.unlink()
        except OSError:
            pass


def held_pipes(group: int) -> list[Path]:
    """Return the LibreOffice socket files (OSL_PIPE_…) held open by the processes of process group `group`."""
    bound = _bound_sockets()
    found = []
    for pid in group_members(group) if bound else []:
        try:
            links = [os.readlink(entry.path) for entry in os.scandir(f"/proc/{pid}/fd")]
        except OSError:  # gone meanwhile, or not ours to look at
            continue
        found.extend(Path(bound[link[8:-1]]) for link in links if link.startswith("socket:[") and link[8:-1] in bound)
    return sorted(set(found))


def _bound_sockets() -> dict[str, str]:
    """Return {inode: path} of the unix sockets bound to an OSL_PIPE_ file in a temporary folder."""
    try:
        table = Path("/proc/net/unix").read_text(encoding="utf-8", errors="replace").splitlines()[1:]
    except OSError:
        return {}
    bound = {}
    for line in table:
        fields = line.split(None, 7)
        if len(fields) == 8 and Path(fields[7]).name.startswith(PREFIX) and Path(fields[7]).parent in TEMP_FOLDERS:
            bound[fields[6]] = fields[7]
    return bound


#: Where LibreOffice makes its pipes (/tmp, else /var/tmp; TMPDIR does not move them).
TEMP_FOLDERS = (Path("/tmp"), Path("/var/tmp"))


def group_members(group: int) -> list[int]:
    """Return the processes of process group `group` (from /proc/<pid>/stat; [] without /proc)."""
    members = []
    try:
        entries = [entry.name for entry in os.scandir("/proc") if entry.name.isdigit()]
    except OSError:
        return []
    for pid in entries:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[2]) == group:
            members.append(int(pid))
    return members
