"""Work done once per input text, not once per process: a small content-keyed cache in memory and on disk.

Keys are hashes of the text a result comes from plus every version that shapes it, so an edited template
or YAML file gets a new key and is prepared again. Entries live in memory for the process and on disk
(GENREPORT_CACHE, else the platform's user cache folder, from platformdirs) for the next process; GENREPORT_CACHE=off turns the disk
cache off. A damaged or unreadable entry is ignored and made again.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

MEMORY_ENTRIES = 32
DISK_ENTRIES = 256  # every part of each profile's template, compiled, and the YAML files
#: Bytes of the SHA-256 of its contents that start every cache file (a damaged file is not used).
DIGEST = 16
_memory: dict[str, Any] = {}


def cache_dir() -> Path | None:
    """Return the folder of the disk cache: GENREPORT_CACHE, else <the user cache folder>/genreport/templates
    (~/.cache on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows); None when it is turned off."""
    configured = os.environ.get("GENREPORT_CACHE", "")
    if configured.lower() in ("off", "0", "no"):
        return None
    if configured:
        return Path(configured)
    from platformdirs import user_cache_path

    return user_cache_path("genreport", appauthor=False) / "templates"


def cache_key(kind: str, text: str, *versions: object) -> str:
    """Return the key of text prepared as kind: its hash with the Python version and every version given."""
    digest = hashlib.sha256("\0".join((sys.version, kind, *map(repr, versions))).encode("utf-8"))
    digest.update(text.encode("utf-8", "surrogatepass"))
    return f"{kind}-{digest.hexdigest()[:40]}"


def cached(key: str, make: Callable[[], Any], dump: Callable[[Any], bytes],
           load: Callable[[bytes], Any]) -> Any:
    """Return the value under key from memory, else from disk, else make() (then keep it in both).

    A value dump cannot store (ValueError) is simply not kept on disk.
    """
    if key in _memory:
        return _memory[key]
    value = _read(key, load)
    if value is None:
        value = make()
        try:
            _write(key, dump(value))
        except ValueError:
            pass
    if len(_memory) >= MEMORY_ENTRIES:
        _memory.clear()
    _memory[key] = value
    return value


def _read(key: str, load: Callable[[bytes], Any]) -> Any:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = (folder / key).read_bytes()
        body = data[DIGEST:]
        if data[:DIGEST] != hashlib.sha256(body).digest()[:DIGEST]:
            return None  # damaged or cut short: prepare again
        return load(body)
    except (OSError, ValueError, EOFError, TypeError):  # absent or unreadable: prepare again
        return None


def _write(key: str, data: bytes) -> None:
    """Store data under key atomically; a cache that cannot be written is simply not used."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(hashlib.sha256(data).digest()[:DIGEST] + data)
        os.replace(temp, folder / key)
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    """Keep the DISK_ENTRIES most recently written entries (an editor's every save makes new ones)."""
    entries = sorted((p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime_ns)
    for old in entries[:-DISK_ENTRIES]:
        old.unlink(missing_ok=True)
