"""Validation problems as data: a stable code, a severity, an Address and a Chinese message.

Every Issue is made by Catalogue.issue(code, at=Address, **fields): the catalogue (checks.yaml) is the one
source of each code's severity, message template and whether it blocks the checks that would follow.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from .address import Address

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


@dataclass(frozen=True)
class Issue:
    """One finding about the workbook. cell is an A1 reference on sheet, or "" for the whole sheet."""

    code: str
    severity: str
    message: str
    sheet: str = ""
    cell: str = ""
    expected: str = ""
    actual: str = ""
    check: str = ""
    """The catalogue code of the rule that found it, when code is generic (rounding-difference, total-blank)."""
    page: str = ""
    """Where a finding sits in a publication (第 7 页) when it was checked from a PDF or Word file (cell is "")."""

    @property
    def at(self) -> Address:
        """Return where the issue sits."""
        return Address.parse(self.sheet, self.cell)

    @property
    def where(self) -> str:
        """Return 公开05表!D9 (or just the sheet name, or "" for the whole workbook)."""
        return str(self.at) if self.cell else self.sheet

    def to_dict(self) -> dict[str, str]:
        """Return the issue as a JSON-ready dict ("page" only for a finding in a publication)."""
        found = asdict(self)
        if not self.page:
            del found["page"]
        return found


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

    def issue(self, code: str, at: Any, /, message: str = "", expected: str = "", actual: str = "", *,
              check: str = "", severity_of: str = "", variant: str = "", **fields: Any) -> Issue:
        """Return the Issue of code at an Address (or a Value, at its cell): the one constructor of issues.

        The severity is the entry's (or that of the entry severity_of names, e.g. the rule a 尾差 belongs
        to); the message is the entry's template (by variant) formatted with fields, expected, actual and
        the address's sheet, cell and row; a code without a template takes message as given.
        """
        entry = self.entry(code)
        where = at if isinstance(at, Address) else Address.parse(at.sheet, at.cell)
        template = entry.messages.get(variant)
        if template is not None:
            message = template.format(expected=expected, actual=actual, sheet=where.sheet, cell=where.a1,
                                      row=where.row, **fields)
        elif not message or variant:
            raise KeyError(f"{code}: no message template {variant!r} in the catalogue")
        severity = self.entry(severity_of).severity if severity_of else entry.severity
        return Issue(code, severity, message, where.sheet, where.a1, expected, actual, check)
