"""Validation problems as data: a stable code, a severity, an Address and a Chinese message template with its fields.

Every Issue is made by Catalogue.issue(code, at=Address, **fields): the catalogue (checks.yaml) is the one
source of each code's severity, message template and whether it blocks the checks that would follow. The
sentence is rendered when presented (Issue.text), with the presenter's names for file paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from .address import Address
from .errors import GenreportError
from .sentence import Fields, literal, render

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


@dataclass(frozen=True)
class Issue:
    """One finding: its catalogue code and severity, where it sits, and its sentence as a template with fields.

    The sentence is rendered when it is presented (message, text): a field that holds a file path is a Path
    (or a tuple of Paths) and shows as the presenter's name map gives it, so that the web page shows the names
    the user uploaded and never the server's. cell is an A1 reference on sheet, or "" for the whole sheet.
    """

    code: str
    severity: str
    template: str
    """The catalogue's message template (str.format), or the sentence a rule composed (its braces doubled)."""
    sheet: str = ""
    cell: str = ""
    expected: str = ""
    actual: str = ""
    check: str = ""
    """The catalogue code of the rule that found it, when code is generic (rounding-difference, total-blank)."""
    page: str = ""
    """Where a finding sits in a publication (第 7 页) when it was checked from a PDF or Word file (cell is "")."""
    location: str = ""
    """Where a finding sits in a Word template (第3段「…」, 表1第2行第3列「…」, 模板样式): template check's."""
    fields: Fields = ()
    """The template's fields (name, value), in the order given."""
    note: str = ""
    """A sentence appended after the rendered one (its final 。 dropped): e.g. that checks using the cell were skipped."""

    @property
    def at(self) -> Address:
        """Return where the issue sits."""
        return Address.parse(self.sheet, self.cell)

    @property
    def where(self) -> str:
        """Return 公开05表!D9 (or just the sheet name, or the place in a template, or "" for the whole workbook)."""
        return str(self.at) if self.cell else self.sheet or self.location

    @property
    def message(self) -> str:
        """Return the sentence with every file path as it was given."""
        return self.text()

    def text(self, names: Mapping[str, str] | None = None) -> str:
        """Return the sentence, each file path field shown as names maps it (by str(path)), else as given."""
        sentence = render(self.template, self.fields, names)
        return sentence.rstrip("。") + self.note if self.note else sentence

    def renamed(self, paths: Mapping[Path, Path]) -> Issue:
        """Return the issue with its file path fields replaced as paths maps them (an identical copy's own name)."""
        def moved(value: Any) -> Any:
            if isinstance(value, tuple):
                return tuple(moved(v) for v in value)
            return paths.get(value, value) if isinstance(value, Path) else value

        return replace(self, fields=tuple((name, moved(value)) for name, value in self.fields))

    def to_dict(self) -> dict[str, str]:
        """Return the issue as a JSON-ready dict ("page" and "location" only when the finding has one)."""
        found = {"code": self.code, "severity": self.severity, "message": self.message, "sheet": self.sheet,
                 "cell": self.cell, "expected": self.expected, "actual": self.actual, "check": self.check}
        found.update({key: getattr(self, key) for key in ("page", "location") if getattr(self, key)})
        return found


def _naming(template: str, fields: dict[str, Any]) -> tuple[str, Fields]:
    """Return a template whose mentions of the Path fields' paths are those fields (the longest path first)."""
    paths = sorted(((k, v) for k, v in fields.items() if isinstance(v, Path)), key=lambda p: -len(str(p[1])))
    for name, path in paths:
        template = template.replace(literal(str(path)), "{" + name + "}")
    return template, tuple(paths)


def as_text(value: object) -> str:
    """Return a value as an issue field: Decimals with 2 decimals, None as 空白."""
    if value is None:
        return "空白"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


@dataclass(frozen=True)
class Entry:
    """One issue code of the catalogue: group, checklist ID, severity, title, message template(s), blocking."""

    code: str
    group: str
    ref: str
    severity: str
    title: str
    messages: dict[str, str] = field(default_factory=dict)
    """Message templates by variant ("" is the default), formatted with the issue's fields."""
    blocking: bool = False
    """True when the checks after reading would only repeat noise once this code was found."""


@dataclass(frozen=True)
class Catalogue:
    """The catalogue entries plus the raw rule sections (identities, rows, hierarchy, …) of checks.yaml."""

    entries: dict[str, Entry]
    groups: dict[str, str]
    rules: dict[str, Any]

    def entry(self, code: str) -> Entry:
        """Return the entry of code; KeyError (a developer error) when it is not catalogued."""
        return self.entries[code]

    def section(self, name: str, default: Any = None) -> Any:
        """Return a rule section of checks.yaml (default when absent)."""
        return self.rules.get(name, default)

    def blocking(self, issues: list[Issue]) -> bool:
        """Return True when one of issues has a blocking code (reading failed too badly to check further)."""
        return any(self.entry(i.code).blocking for i in issues)

    def issue(self, code: str, at: Any, /, message: str | GenreportError = "", expected: str = "", actual: str = "", *,
              check: str = "", severity_of: str = "", variant: str = "", location: str = "", **fields: Any) -> Issue:
        """Return the Issue of code at an Address (or a Value, at its cell): the one constructor of issues.

        The severity is the entry's (or that of the entry severity_of names, e.g. the rule a 尾差 belongs
        to); the sentence is the entry's template (by variant), rendered when presented with fields, expected,
        actual and the address's sheet, cell and row; a code without a template takes message as given (a sentence,
        or a GenreportError's template and fields), the file paths it mentions named by fields that are Paths (see
        Issue.text). location places a finding in a template.
        """
        entry = self.entry(code)
        where = at if isinstance(at, Address) else Address.parse(at.sheet, at.cell)
        template = entry.messages.get(variant)
        values: Fields = ()
        if template is not None:
            values = (("expected", expected), ("actual", actual), ("sheet", where.sheet), ("cell", where.a1),
                      ("row", where.row), *fields.items())
        elif not message or variant:
            raise KeyError(f"{code}: no message template {variant!r} in the catalogue")
        elif isinstance(message, GenreportError):
            given = dict(message.fields)
            template, named = _naming(message.template, {k: v for k, v in fields.items() if k not in given})
            values = (*message.fields, *named)
        else:
            template, values = _naming(literal(message), fields)
        severity = self.entry(severity_of).severity if severity_of else entry.severity
        return Issue(code, severity, template, where.sheet, where.a1, expected, actual, check, location=location,
                     fields=values)
