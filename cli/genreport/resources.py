"""Locate the bundled templates and workbook specs (wheel copy first, then the checkout)."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE_DIR / "_bundled"
_CHECKOUT = _PACKAGE_DIR.parent.parent


def _asset_dir(name: str) -> Path:
    bundled = _BUNDLED / name
    if bundled.is_dir():
        return bundled
    return _CHECKOUT / name


def specs_dir() -> Path:
    """Return the folder holding the workbook specs, code lists and glossaries."""
    return _asset_dir("workbook_specs")


def templates_dir() -> Path:
    """Return the folder holding the Word templates."""
    return _asset_dir("templates")


def default_template() -> Path | None:
    """Return the template named by $GENREPORT_TEMPLATE, None when unset (the profile's template applies)."""
    override = os.environ.get("GENREPORT_TEMPLATE")
    return Path(override) if override else None


def sample_workbook(relative: str) -> Path:
    """Return a bundled sample workbook by its path under samples/ (the default profile names one)."""
    return _asset_dir("samples") / relative


def spec_path(name: str = "standard", near: Path | None = None) -> Path:
    """Return the path of a named spec (looked up first in the folder near, then among the bundled specs).

    name may also be a path to a YAML file.
    """
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        return candidate
    if near is not None and (near / f"{name}.yaml").is_file():
        return near / f"{name}.yaml"
    return specs_dir() / f"{name}.yaml"


def spec_file(relative: str, near: Path | None) -> Path:
    """Return a file a spec names (checks, code lists): beside the spec when there, else the bundled one."""
    if near is not None and (near / relative).is_file():
        return near / relative
    return specs_dir() / relative


def file_stamp(*paths: Path) -> tuple[tuple[str, int, int], ...]:
    """Return (path, size, modification time) of each path, so a cache keyed by it misses after an edit."""
    stamps = []
    for path in paths:
        try:
            stat = os.stat(path)
            stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            stamps.append((str(path), -1, -1))
    return tuple(stamps)
