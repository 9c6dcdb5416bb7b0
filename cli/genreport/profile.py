"""Report profiles: the spec, template, macros, glossary and conventions a publication style uses (data, not code).

A profile is a YAML file in workbook_specs/profiles/ (bundled), or a folder an editor exported with
`genreport template export` (its own template, macro file, specs, glossary and profile file).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import msgspec

from .amounts import NumberFormat
from .catalogue import catalogue_for, checks_path
from .rules import rules_problem
from .errors import GenreportError, SpecError
from .issues import Catalogue
from .resources import file_stamp, spec_path, specs_dir, templates_dir
from .spec import WorkbookSpec, load_spec
from .yamlfile import load_yaml, shown, validate_as

DEFAULT_PROFILE = "central"


@dataclass(frozen=True)
class TocEntry:
    """One line of a 目录 given as a list: its text, level and the body heading it points to."""

    text: str
    level: int = 1
    at: str = ""
    """The text the body heading contains (empty: the entry's own text); no such heading: the next entry's page."""


@dataclass(frozen=True)
class Conventions:
    """How a profile prints figures and tables; the template sees them as `conv`."""

    text_thousands: bool = True
    """Running-text amounts with thousands separators (10,394.91) or without (10394.91)."""
    text_zero: str = "0"
    """How a zero amount reads in running text: "0" or "0.00"."""
    text_decimals: int | str = 2
    """Decimals of running-text amounts: 0, 1, 2 or "typed" (as typed, no trailing zeros)."""
    number_format: NumberFormat = NumberFormat()
    """How table amounts print (decimals, thousands, zero, blank); a table or column of the spec may override keys."""
    zero_base: str = "omit"
    """When last year was 0: omit the growth rate, or "hundred" (增长100.00%)."""
    zero_budget: str = "omit"
    """When the budget was 0: omit the completion rate, or "zero" (完成预算的0.00%)."""
    charts: bool = True
    """Whether the structure charts appear."""
    table_heading: str = "{title}"
    """A table's heading: {title}, {cn} (一、二… by position), {n} (1, 2…), {number} (the spec's 公开01表)."""
    table_caption: str = "{kind}名称：{dept}\t单位：{unit}"
    """The line above each table; a tab separates the left and right-aligned parts."""
    file_name: str = "{year}年度{kind}决算"
    """The document's file name after the department name: {year}, {kind} (部门/单位)."""
    org_self: str = "我{kind}"
    """How the report names its own organisation (empty-table notes, sentences): {kind} is 部门 or 单位."""
    org_this: str = "本{kind}"
    """The other self-reference (本部门/本单位): {kind} is 部门 or 单位."""
    missing_value: str = "【未填写：{label}】"
    """What a required input left blank prints when the report is generated anyway (--force): {label} is its label."""
    item_numbering: str = "{n}."
    """How the narrative numbers its 科目 items (item_line): "{n}." (1.), "{n}、" (1、), "（{cn}）" (（一）)…"""
    toc: tuple[TocEntry, ...] = ()
    """The 目录 as a list of entries (text, level, at; {year}, {dept}… filled); empty: the document's headings."""
    grades: tuple[tuple[str, int], ...] = (("优", 90), ("良", 80), ("中", 60), ("差", 0))
    """The 绩效评级 of a 百分制 score: each grade with the lowest score it takes, highest first
    (in the profile file a mapping such as `{优: 90, 良: 80, 合格: 60, 不合格: 0}`)."""


_CHOICES = {"zero_base": ("omit", "hundred"), "zero_budget": ("omit", "zero"), "text_zero": ("0", "0.00")}


class ProfileFile(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The keys of a profile file (yamlfile.validate_as names the file and key of a mistake)."""

    id: str
    title: str
    description: str = ""
    spec: str
    template: str
    glossary: str
    macros: str = ""
    sample: str = ""
    narrative: str = ""
    conventions: dict[str, Any] = {}
    """Checked key by key against Conventions (_conventions)."""


class _Entry(msgspec.Struct, forbid_unknown_fields=True):
    term: str
    text: str


class GlossaryFile(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The keys of a glossary file: its 名词解释 entries."""

    id: str = ""
    title: str = ""
    entries: list[_Entry]


@dataclass(frozen=True)
class GlossaryEntry:
    """One 名词解释: the term and its explanation."""

    term: str
    text: str


@dataclass(frozen=True)
class Profile:
    """A publication style: which spec, Word template, macro file, glossary and conventions it uses."""

    id: str
    title: str
    description: str
    spec: str
    template: str
    glossary: str
    macros: str = ""
    sample: str = ""
    conventions: Conventions = field(default_factory=Conventions)
    root: Path | None = None
    """The folder of an exported profile; None for a bundled one."""
    workbook_spec: WorkbookSpec | None = field(default=None, compare=False, repr=False)
    """The spec, loaded and validated when the profile is loaded (with its check catalogue)."""
    catalogue: Catalogue | None = field(default=None, compare=False, repr=False)
    glossary_entries: tuple[GlossaryEntry, ...] = field(default=(), compare=False, repr=False)

    @property
    def name(self) -> str:
        """Return what load_profile takes to load this profile again: the id, or an exported folder's path."""
        return self.id if self.root is None else str(self.root)

    @property
    def template_path(self) -> Path:
        """Return the profile's Word template."""
        return (self.root or templates_dir()) / self.template

    @property
    def macros_path(self) -> Path | None:
        """Return the macro file beside the template, None when the profile has none."""
        return (self.root or templates_dir()) / self.macros if self.macros else None

    @property
    def spec_source(self) -> str:
        """Return what load_spec takes: the folder's own spec file when it has one, else the bundled name."""
        return str(self._own(f"{self.spec}.yaml") or self.spec)

    @property
    def glossary_path(self) -> Path:
        """Return the 名词解释 file."""
        return self._own(f"glossary/{self.glossary}.yaml") or specs_dir() / "glossary" / f"{self.glossary}.yaml"

    def _own(self, relative: str) -> Path | None:
        if self.root is None:
            return None
        path = self.root / "workbook_specs" / relative
        return path if path.is_file() else None


def profiles_dir() -> Path:
    """Return the folder holding the installed profiles."""
    return specs_dir() / "profiles"


def list_profiles() -> list[Profile]:
    """Return every installed profile, the default first."""
    stamp = _installed_stamp()
    found = [_load_named(p.stem, stamp) for p in sorted(profiles_dir().glob("*.yaml"))]
    return sorted(found, key=lambda p: (p.id != DEFAULT_PROFILE, p.id))


def load_profile(name: str | None = None) -> Profile:
    """Return the profile called name (id, Chinese title, or an exported profile folder); default when empty.

    A profile is read again after any of its YAML files (or the bundled ones) changed: a long-running web server
    sees the edit. The Word template and the macro file are read at each render (cached by their content).
    """
    name = (name or DEFAULT_PROFILE).strip()
    if Path(name).is_dir() and (_exported(Path(name)) or not (profiles_dir() / f"{name}.yaml").exists()):
        folder = Path(name).resolve()
        return _load_folder(folder, file_stamp(*sorted(folder.glob("workbook_specs/**/*.yaml"))) + _installed_stamp())
    return _load_named(name, _installed_stamp())


def _installed_stamp() -> tuple:
    """Return the sizes and times of every bundled YAML file (profiles, specs, checks, glossaries, code lists)."""
    return file_stamp(*sorted(specs_dir().glob("**/*.yaml")))


load_profile.cache_clear = lambda: (_load_named.cache_clear(), _load_folder.cache_clear())  # type: ignore[attr-defined]


def _exported(folder: Path) -> bool:
    """Return True when folder holds an exported profile (a folder that merely shares an installed id does not)."""
    return (folder / "workbook_specs" / "profiles").is_dir()


@lru_cache(maxsize=16)
def _load_folder(folder: Path, _stamp: tuple) -> Profile:
    return load_profile_folder(folder)


@lru_cache(maxsize=16)
def _load_named(name: str, _stamp: tuple) -> Profile:
    path = profiles_dir() / f"{name}.yaml"
    if "/" in name or "\\" in name or name.startswith(".") or not path.exists():
        by_title = {p.title: p for p in (_read(f) for f in profiles_dir().glob("*.yaml"))}
        if name in by_title:
            return by_title[name]
        known = "、".join(f"{p.stem}" for p in sorted(profiles_dir().glob("*.yaml")))
        raise GenreportError(f"没有名为“{name}”的报告样式。已安装的样式：{known}（可用 genreport profiles 查看）。")
    return _read(path)


def load_profile_folder(folder: Path) -> Profile:
    """Return the profile of a folder written by `genreport template export` (its files take precedence)."""
    found = sorted((folder / "workbook_specs" / "profiles").glob("*.yaml"))
    if len(found) != 1:
        raise GenreportError.of("文件夹“{folder}”中应有且只有一个样式文件 workbook_specs/profiles/*.yaml"
                                "（用 genreport template export 导出），实际有 {count} 个。", folder=folder,
                                count=len(found))
    return _read(found[0], root=folder.resolve())


def _read(path: Path, root: Path | None = None) -> Profile:
    """Return the profile in path with its spec, check catalogue and glossary loaded (resolved once, validated)."""
    data = load_yaml(path, "样式文件")
    validate_as(data, ProfileFile, path)
    try:
        conventions = _conventions(data.get("conventions") or {})
    except ValueError as exc:
        raise SpecError(f"{shown(path)} 中 {exc}") from None
    profile = Profile(id=data["id"], title=data["title"], description=data.get("description", ""),
                      spec=data["spec"], template=data["template"], glossary=data["glossary"],
                      macros=data.get("macros", ""), sample=data.get("sample", ""), conventions=conventions, root=root)
    _require(path, "spec", spec_path(profile.spec_source))
    _require(path, "glossary", profile.glossary_path)
    _require(path, "template", profile.template_path)
    if profile.macros_path is not None:
        _require(path, "macros", profile.macros_path)
    spec = load_spec(profile.spec_source)
    glossary_data = load_yaml(profile.glossary_path, "名词解释文件")
    validate_as(glossary_data, GlossaryFile, profile.glossary_path)
    glossary = glossary_data["entries"]
    catalogue = catalogue_for(spec)
    problem = rules_problem(catalogue.rules, set(catalogue.entries), spec)
    if problem:
        raise SpecError(f"{shown(checks_path(spec))} 中 {problem}")
    return replace(profile, workbook_spec=spec, catalogue=catalogue,
                   glossary_entries=tuple(GlossaryEntry(e["term"], e["text"]) for e in glossary))


def _require(profile_file: Path, key: str, target: Path) -> None:
    """Raise SpecError naming the profile file and key when the file that key names does not exist."""
    if not target.is_file():
        raise SpecError(f"{shown(profile_file)} 中 {key} 指向的文件不存在：{shown(target)}")


def _conventions(raw: dict[str, Any]) -> Conventions:
    known = {f.name: f for f in fields(Conventions)}
    for key, value in raw.items():
        if key not in known:
            raise ValueError(f"conventions.{key} 不是已知的设置（可用：{'、'.join(known)}）")
        if key in _CHOICES and str(value) not in _CHOICES[key]:
            raise ValueError(f"conventions.{key} 应为 {' / '.join(_CHOICES[key])} 之一，实际是 {value!r}")
        if isinstance(Conventions.__dict__.get(key), bool) and not isinstance(value, bool):
            raise ValueError(f"conventions.{key} 应为是或否（true/false）")
        if type(Conventions.__dict__.get(key)) is str and key not in _CHOICES and not isinstance(value, str):
            raise ValueError(f"conventions.{key} 应为文字")
    values = {k: (str(v) if k in _CHOICES else v) for k, v in raw.items()}
    for key in ("org_self", "org_this"):
        try:
            str(values.get(key, "")).format(kind="部门")
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"conventions.{key} 中只能用 {{kind}}（部门/单位），实际是 {values[key]!r}") from None
    try:
        str(values.get("missing_value", "")).format(label="")
    except (KeyError, IndexError, ValueError):
        raise ValueError(f"conventions.missing_value 中只能用 {{label}}（未填写项的名称），实际是 {values['missing_value']!r}") from None
    if "grades" in values:
        values["grades"] = _grades(values["grades"])
    if "number_format" in values:
        try:
            values["number_format"] = NumberFormat().updated(values["number_format"])
        except ValueError as exc:
            raise ValueError(f"conventions.{exc}") from None
    if "toc" in values:
        if not isinstance(values["toc"], list) or not all(isinstance(e, dict) and "text" in e for e in values["toc"]):
            raise ValueError("conventions.toc 应为目录条目的列表，每条写 text（可加 level、at），如 - {text: 目录条目, level: 1}")
        values["toc"] = tuple(TocEntry(str(e["text"]), int(e.get("level", 1)), str(e.get("at", "")))
                              for e in values["toc"])
        if any(not 1 <= e.level <= 9 for e in values["toc"]):
            raise ValueError("conventions.toc 中 level 应为 1 至 9 的整数（1 为最高一级）")
    if "text_decimals" in values and values["text_decimals"] not in ("typed", 0, 1, 2, 3, 4, 5, 6):
        raise ValueError(f"conventions.text_decimals 应为 0 至 6 的整数或 typed，实际是 {values['text_decimals']!r}")
    return Conventions(**values)


def _grades(raw: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """Return the grading scale highest grade first; every grade needs a lowest score from 0 to 100, one of them 0."""
    if not isinstance(raw, dict) or any(isinstance(low, bool) or not isinstance(low, int) for low in raw.values()):
        raw = {}
    scale = tuple(sorted(((str(g), low) for g, low in raw.items()), key=lambda pair: -pair[1]))
    if not scale or any(not 0 <= low <= 100 for _, low in scale) or scale[-1][1] != 0:
        raise ValueError("conventions.grades 应列出每个等级的最低分（0 至 100，最低一档为 0），"
                         "如 {优: 90, 良: 80, 合格: 60, 不合格: 0}")
    return scale
