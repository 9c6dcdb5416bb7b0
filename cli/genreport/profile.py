"""Regional profiles: which spec, template, glossary and wording a publication style uses (data, not code)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import GenreportError
from .resources import specs_dir, templates_dir

DEFAULT_PROFILE = "central"


@dataclass(frozen=True)
class Profile:
    """A publication style: the workbook spec, the Word template and the glossary it uses."""

    id: str
    title: str
    description: str
    spec: str
    template: str
    glossary: str
    narrative: str = "narrative"
    sample: str = ""

    @property
    def template_path(self) -> Path:
        """Return the bundled Word template of this profile."""
        return templates_dir() / self.template


def profiles_dir() -> Path:
    """Return the folder holding the installed profiles."""
    return specs_dir() / "profiles"


def list_profiles() -> list[Profile]:
    """Return every installed profile, the default first."""
    found = [load_profile(p.stem) for p in sorted(profiles_dir().glob("*.yaml"))]
    return sorted(found, key=lambda p: (p.id != DEFAULT_PROFILE, p.id))


@lru_cache(maxsize=16)
def load_profile(name: str | None = None) -> Profile:
    """Return the profile called name (by id or by its Chinese title); the default when name is empty."""
    name = (name or DEFAULT_PROFILE).strip()
    path = profiles_dir() / f"{name}.yaml"
    if not path.exists():
        by_title = {p.title: p for p in (_read(f) for f in profiles_dir().glob("*.yaml"))}
        if name in by_title:
            return by_title[name]
        known = "、".join(f"{p.stem}" for p in sorted(profiles_dir().glob("*.yaml")))
        raise GenreportError(f"没有名为“{name}”的报告样式。已安装的样式：{known}（可用 genreport profiles 查看）。")
    return _read(path)


def _read(path: Path) -> Profile:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Profile(id=data["id"], title=data["title"], description=data.get("description", ""),
                   spec=data["spec"], template=data["template"], glossary=data["glossary"],
                   narrative=data.get("narrative", "narrative"), sample=data.get("sample", ""))
