"""Validation problems as data: a stable code, a severity, a position and a Chinese message."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

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

    @property
    def where(self) -> str:
        """Return 公开05表!D9 (or just the sheet name, or "" for the whole workbook)."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    def to_dict(self) -> dict[str, str]:
        """Return the issue as a JSON-ready dict."""
        return asdict(self)


def as_text(value: object) -> str:
    """Return a value as an issue field: Decimals with 2 decimals, None as 空白."""
    if value is None:
        return "空白"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)
