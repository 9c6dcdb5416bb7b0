"""The check catalogue of checks.yaml: every issue code with its title, default severity and the rules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import SpecError
from ..issues import SEVERITY_ORDER, Issue
from ..model import Value
from ..spec import WorkbookSpec

DEFAULT_FILE = "checks.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Entry:
    """One issue code: its group (R/Z/B/…), the validation-identities ID, default severity and title."""

    code: str
    group: str
    ref: str
    severity: str
    title: str


@dataclass(frozen=True)
class Catalogue:
    """The catalogue entries plus the raw rule sections (identities, rows, hierarchy, …)."""

    entries: dict[str, Entry]
    groups: dict[str, str]
    rules: dict[str, Any]

    def entry(self, code: str) -> Entry:
        """Return the entry of code; KeyError (a developer error) when it is not catalogued."""
        return self.entries[code]

    def section(self, name: str, default: Any = None) -> Any:
        """Return a rule section of checks.yaml (default when absent)."""
        return self.rules.get(name, default)

    def issue(self, code: str, at: Value, message: str, expected: str = "", actual: str = "",
              severity: str | None = None, check: str = "") -> Issue:
        """Return an Issue positioned at the cell of at, with the catalogue's severity unless given."""
        entry = self.entry(code)
        return Issue(code, severity or entry.severity, message, at.sheet, at.cell, expected, actual, check)


def catalogue_for(spec: WorkbookSpec) -> Catalogue:
    """Return the catalogue the spec refers to (its `checks:` key, else checks.yaml beside it)."""
    return load_catalogue(checks_path(spec))


def checks_path(spec: WorkbookSpec) -> Path:
    """Return the path of the checks file of spec: beside it (an exported profile may carry its own), else bundled."""
    from ..resources import spec_file

    if spec.path is None:
        return spec_file(DEFAULT_FILE, None)
    return spec_file(_checks_name(spec.path), spec.path.parent)


@lru_cache(maxsize=8)
def _checks_name(spec_file: Path) -> str:
    """Return the `checks:` file name the spec YAML names (checks.yaml when it names none)."""
    try:
        raw = yaml.load(spec_file.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except OSError:
        return DEFAULT_FILE
    return str(raw.get("checks") or DEFAULT_FILE)


@lru_cache(maxsize=8)
def load_catalogue(path: Path) -> Catalogue:
    """Return the catalogue in the YAML file at path."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except FileNotFoundError:
        raise SpecError(f"找不到校验规则文件：{path}") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"校验规则文件 {path.name} 不是合法的 YAML：{exc}") from None
    base = load_catalogue(_sibling(data["extends"], path.parent)) if data.get("extends") else None
    entries: dict[str, Entry] = {}
    for raw in data["catalogue"]:
        entry = Entry(raw["code"], raw["group"], raw.get("ref", ""), raw["severity"], raw["title"])
        if entry.severity not in SEVERITY_ORDER or entry.code in entries:
            raise SpecError(f"校验规则文件 {path.name} 中 {entry.code} 的级别无效或重复。")
        entries[entry.code] = entry
    rules = {k: v for k, v in data.items() if k not in ("catalogue", "groups", "version", "extends")}
    if base is None:
        return Catalogue(entries=entries, groups=dict(data.get("groups", {})), rules=rules)
    # `extends:` shares the issue codes (reading problems, 尾差, …) of another file, never its rules.
    return Catalogue(entries={**base.entries, **entries}, groups={**base.groups, **data.get("groups", {})},
                     rules=rules)


def _sibling(name: str, folder: Path) -> Path:
    """Return the checks file an `extends:` names: beside the extending file, else the bundled one."""
    from ..resources import spec_file

    return spec_file(name, folder)
