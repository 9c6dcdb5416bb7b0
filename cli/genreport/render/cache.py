"""Work done once per template, not once per report: docxtpl's XML preparation and Jinja's compilation.

Both results are keyed by a hash of the text they come from plus the versions that shape them (docxtpl,
Jinja, Python, this file's CACHE_VERSION), so a template an editor changed gets new keys and is prepared and
compiled again. They are kept in memory for the process and on disk (GENREPORT_CACHE, else the user cache
folder) for the next process; GENREPORT_CACHE=off turns the disk cache off. A damaged cache file is ignored.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docxtpl
import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

CACHE_VERSION = "1"
MEMORY_ENTRIES = 16
DISK_ENTRIES = 64
#: Bytes of the SHA-256 of its contents that start every cache file (a damaged file is not used).
DIGEST = 16
_memory: dict[str, Any] = {}


def cache_dir() -> Path | None:
    """Return the folder of the disk cache, None when it is turned off."""
    configured = os.environ.get("GENREPORT_CACHE", "")
    if configured.lower() in ("off", "0", "no"):
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA") or Path.home() / ".cache"
    return Path(base) / "genreport" / "templates"


def cache_key(kind: str, text: str, *extra: object) -> str:
    """Return the key of text prepared as kind: its hash with every version that shapes the result."""
    versions = (CACHE_VERSION, docxtpl.__version__, jinja2.__version__, sys.version, kind, *map(repr, extra))
    digest = hashlib.sha256("\0".join(versions).encode("utf-8"))
    digest.update(text.encode("utf-8", "surrogatepass"))
    return f"{kind}-{digest.hexdigest()[:40]}"


def cached(key: str, make: Callable[[], Any], dump: Callable[[Any], bytes],
           load: Callable[[bytes], Any]) -> Any:
    """Return the value under key from memory, else from disk, else make() (then keep it in both)."""
    if key in _memory:
        return _memory[key]
    value = _read(key, load)
    if value is None:
        value = make()
        _write(key, dump(value))
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


#: A run text holding a character docxtpl turns into a tab, line, paragraph or page break.
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")


class PreparedTemplate(DocxTemplate):
    """A DocxTemplate whose XML preparation (patch_xml's regexes) runs once per distinct template part."""

    def patch_xml(self, src_xml: str) -> str:
        return cached(cache_key("xml", src_xml), lambda: super(PreparedTemplate, self).patch_xml(src_xml),
                      lambda text: text.encode("utf-8"), lambda data: data.decode("utf-8"))

    def resolve_listing(self, xml: str) -> str:
        """Skip docxtpl's three nested regex passes when no run text has a break character to resolve."""
        return super().resolve_listing(xml) if _LISTING.search(xml) else xml


class CachingEnvironment(SandboxedEnvironment):
    """A sandboxed environment that compiles each template text once (docxtpl asks for it at every render)."""

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's own signature
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        options = (type(self).__name__, self.autoescape, self.undefined.__name__)
        key = cache_key("jinja", source, *options)
        code = cached(key, lambda: self.compile(source), marshal.dumps, marshal.loads)
        return self.template_class.from_code(self, code, self.make_globals(None), None)
