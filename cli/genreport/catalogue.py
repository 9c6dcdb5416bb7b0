"""Load the check catalogue (checks.yaml): every issue code with its severity, message and the rule sections."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import SpecError
from .issues import SEVERITY_ORDER, Catalogue, Entry
from .spec import WorkbookSpec
from .yamlfile import load_yaml, shown, validate_as
from .rules import ChecksFile

DEFAULT_FILE = "checks.yaml"

__all__ = ["Catalogue", "Entry", "bundled_catalogue", "catalogue_for", "checks_path", "load_catalogue"]


def catalogue_for(spec: WorkbookSpec) -> Catalogue:
    """Return the catalogue the spec refers to (its `checks:` key, inherited through `extends`)."""
    return load_catalogue(checks_path(spec))


def checks_path(spec: WorkbookSpec) -> Path:
    """Return the path of the checks file of spec: beside it (an exported profile may carry its own), else bundled."""
    from .resources import spec_file

    if spec.path is None:
        return spec_file(DEFAULT_FILE, None)
    return spec_file(spec.checks, spec.path.parent)


def load_catalogue(path: Path) -> Catalogue:
    """Return the catalogue in the YAML file at path (SpecError naming the file and key when it is wrong).

    `extends:` shares the issue codes (reading problems, 尾差, …) of another file, never its rules. The file is
    read again after it changed (a running server sees the edit).
    """
    from .resources import file_stamp

    return _load_catalogue(Path(path), file_stamp(path))


load_catalogue.cache_clear = lambda: _load_catalogue.cache_clear()  # type: ignore[attr-defined]


@lru_cache(maxsize=16)
def _load_catalogue(path: Path, _stamp: tuple) -> Catalogue:
    data = load_yaml(path, "校验规则文件")
    validate_as(data, ChecksFile, path)
    base = load_catalogue(_sibling(data["extends"], path.parent)) if data.get("extends") else None
    messages = {code: text if isinstance(text, dict) else {"": text} for code, text in data.get("messages", {}).items()}
    blocking = set(data.get("blocking", []))
    entries: dict[str, Entry] = {}
    for raw in data["catalogue"]:
        entry = Entry(raw["code"], raw["group"], raw.get("ref", ""), raw["severity"], raw["title"],
                      messages.pop(raw["code"], {}), raw["code"] in blocking)
        if entry.severity not in SEVERITY_ORDER or entry.code in entries:
            raise SpecError(f"校验规则文件 {shown(path)} 中 {entry.code} 的级别无效或重复。")
        entries[entry.code] = entry
    unknown = sorted((set(messages) | blocking) - set(entries))
    if unknown:
        raise SpecError(f"校验规则文件 {shown(path)} 中 messages 或 blocking 的代码 {unknown[0]} 不在 catalogue 中。")
    rules = {k: v for k, v in data.items()
             if k not in ("catalogue", "groups", "version", "messages", "blocking", "extends")}
    if base is None:
        return Catalogue(entries=entries, groups=dict(data.get("groups", {})), rules=rules)
    return Catalogue(entries={**base.entries, **entries}, groups={**base.groups, **data.get("groups", {})},
                     rules=rules)


def _sibling(name: str, folder: Path) -> Path:
    """Return the checks file an `extends:` names: beside the extending file, else the bundled one."""
    from .resources import spec_file

    return spec_file(name, folder)


def bundled_catalogue() -> Catalogue:
    """Return the catalogue of the bundled checks.yaml: it also holds the codes of template check and the batch."""
    from .resources import spec_file

    return load_catalogue(spec_file(DEFAULT_FILE, None))
