"""Which workbooks a batch (or a 汇总) is given: files, folders searched recursively, and manifest .txt files."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import GenreportError
from ..visible import printable

def collect_inputs(inputs: Iterable[Path], outdir: Path) -> list[Path]:
    """Return the workbooks named by inputs, in order and without duplicates.

    A folder gives its *.xlsx files recursively (skipping ~$ lock files, hidden files and folders and
    annotated copies); a .txt file is a manifest: one path per line, relative to the manifest, # starts a
    comment. Manifest lines naming no file are kept: the batch reports them as failures.
    """
    seen: set[Path] = set()
    found: list[Path] = []
    for path in _expand(inputs, Path(outdir)):
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append(path)
    return found

def refuse_missing(inputs: list[Path]) -> None:
    """Raise (a usage error) when an input named on the command line does not exist: a typo'd folder."""
    for path in inputs:
        try:
            missing = not path.exists()
        except OSError:
            missing = True
        if missing:
            raise GenreportError.of("找不到输入“{file}”，请检查文件或文件夹的名称和位置。", file=Path(printable(str(path))))

def _expand(inputs: Iterable[Path], outdir: Path) -> Iterator[Path]:
    for entry in inputs:
        path = Path(entry)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if _is_workbook(p, path) and p.is_file())
        elif path.suffix.lower() == ".txt" and path.is_file():
            yield from _expand(_read_manifest(path), outdir)
        else:
            yield path

def _is_workbook(path: Path, folder: Path) -> bool:
    if path.suffix.lower() != ".xlsx" or path.name.startswith("~$") or path.stem.endswith(".标注"):
        return False
    return not any(part.startswith(".") for part in path.relative_to(folder).parts)

def _read_manifest(manifest: Path) -> list[Path]:
    raw = manifest.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    lines = (line.strip() for line in text.splitlines())
    return [Path(os.path.normpath(manifest.parent / line)) for line in lines if line and not line.startswith("#")]
