"""Read one cell as an amount, an integer or text; a bad cell becomes an issue naming it, never an exception."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..address import Address
from ..amounts import NotANumber, markers, parse_amount, quantize
from ..issues import ERROR, Catalogue, Issue, as_text
from ..units import DEFAULT_UNIT, unit_factor
from ..model import Value
from .guard import MAX_PARAGRAPH_CHARS
from .display import CONSTANT_FORMULA, as_date, chinese_date, is_date_format, number_format, shown_text

#: Largest amount we accept in 万元 (1万亿元); anything larger is a unit or typing error.
MAX_AMOUNT = Decimal("100000000")
#: Largest count (团组数, 人次, 车辆数…) we accept.
MAX_COUNT = 10_000_000
#: Characters that are illegal in XML or that docxtpl turns into paragraph/page breaks; lone surrogates.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")
#: Appended to the finding of a cell the reader rejected: its value is unknown, so checks using it wait.
SKIPPED_NOTE = "；用到本格的其他校验已跳过，改正后请再检查一次。"
_EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!", "#GETTING_DATA")


class CellReader:
    """Reads cells of one workbook; collects issues (with sheet and A1 cell) instead of raising."""

    def __init__(self, path: Path, book: Any, catalogue: Catalogue) -> None:
        self.path = path
        self.book = book
        self.catalogue = catalogue
        self.issues: list[Issue] = []
        self.bad_cells: set[tuple[str, str]] = set()
        self._errors_at: set[Address] = set()
        """The cells an error was recorded for (looked up once per read cell: linear in the findings)."""
        self.unit = DEFAULT_UNIT
        """The unit of the amounts being read (the table's or the field's; 万元 unless the spec says)."""

    def add(self, code: str, at: Address, /, **fields: Any) -> None:
        """Record an issue found while reading (severity and message from the catalogue)."""
        issue = self.catalogue.issue(code, at, **fields)
        self.issues.append(issue)
        if issue.severity == ERROR:
            self._errors_at.add(issue.at)

    def rejected(self, at: Address) -> bool:
        """Return True when an error was already recorded for this cell."""
        return at in self._errors_at

    def valued(self, value: Any, at: Address) -> Value:
        """Return the Value of a read cell, marked bad when an error was recorded for it (one cause, one finding)."""
        bad = value is None and self.rejected(at)
        if bad:
            self.bad_cells.add((at.sheet, at.a1))
        return Value(value, at.sheet, at.a1, bad=bad)

    def noted_issues(self) -> list[Issue]:
        """Return the issues, those of a rejected cell saying that the checks using the cell were skipped."""
        return [replace(i, note=SKIPPED_NOTE) if (i.sheet, i.cell) in self.bad_cells and i.severity == ERROR
                and not i.note else i for i in self.issues]

    # ---- raw values ----------------------------------------------------------
    def raw(self, ws: Any, row: int, col: int, data: bool = False, cell: Any = None) -> Any:
        """Return the cell value; a formula gives its cached result. data=True flags a cell hidden by a merge."""
        cell = cell or ws.cell(row, col)
        if data and cell.merged:
            self.add("merged-cell", Address(ws.title, row, col), span=ws.merged_range(row, col))
            return None
        if cell.data_type == "f":
            if cell.cached is None:
                self.add("formula-without-value", Address(ws.title, row, col), actual=show(cell.value))
            return cell.cached
        return cell.value

    # ---- typed reads -----------------------------------------------------------
    def money(self, ws: Any, row: int, col: int, label: str = "", unit: str | None = None) -> Value:
        """Return an amount cell as Value(Decimal|None), adding an issue for bad input (unit: self.unit)."""
        unit = unit or self.unit
        raw = self.raw(ws, row, col, data=True)
        at = Address(ws.title, row, col)
        try:
            amount = parse_amount(raw)
        except NotANumber:
            self.add("not-a-number", at, label=label, described=describe(raw), unit=unit, actual=show(raw))
            return self.valued(None, at)
        if amount is None:
            return self.valued(None, at)
        return self.valued(self._checked_amount(amount, at, label, unit), at)

    def _checked_amount(self, amount: Decimal, at: Address, label: str, unit: str = DEFAULT_UNIT) -> Decimal | None:
        limit = MAX_AMOUNT * unit_factor(DEFAULT_UNIT) / unit_factor(unit)
        if not amount.is_finite() or amount.copy_abs() > limit:
            self.add("amount-out-of-range", at, variant="default" if unit == DEFAULT_UNIT else "other", label=label,
                     unit=unit, actual=show(amount))
            return None
        if amount < 0:
            self.add("negative-amount", at, label=label, amount=amount, actual=as_text(amount))
        rounded = quantize(amount)
        if rounded != amount and quantize(amount, Decimal("0.000001")) != rounded:
            self.add("too-many-decimals", at, label=label, amount=amount, rounded=rounded, unit=unit,
                     expected=as_text(rounded), actual=str(amount))
        return rounded

    def integer(self, ws: Any, row: int, col: int, label: str, year: bool = False) -> Value:
        """Return a count (or a four-digit year) as Value(int|None), adding an issue for bad input."""
        at = Address(ws.title, row, col)
        raw = self.raw(ws, row, col, data=True)
        try:
            number = parse_amount(raw)
        except NotANumber:
            number = Decimal(-1)
        if number is None:
            return self.valued(None, at)
        low, high = (1990, 2100) if year else (0, MAX_COUNT)
        if not number.is_finite() or not low <= number <= high or number != number.to_integral_value():
            self.add("not-an-integer", at, variant="year" if year else "count", label=label,
                     described=describe(raw), actual=show(raw))
            return self.valued(None, at)
        return Value.placed(int(number), at)

    def text(self, ws: Any, row: int, col: int, data: bool = False) -> str | None:
        """Return a text cell stripped of XML-illegal control characters (None when blank)."""
        cell = ws.cell(row, col)
        at = Address(ws.title, row, col)
        typed = _typed_formula(cell)
        if typed:
            self._as_shown(at, "formula", typed, shown=show(typed))
            return typed
        raw = self.raw(ws, row, col, data, cell)
        if raw is None:
            return None
        text = _unescape(self._shown(cell, raw, at))
        if not text:
            return None
        cleaned = CONTROL.sub("", text)
        if cleaned != text:
            self.add("control-characters", at, count=len(text) - len(cleaned))
        if len(cleaned) > MAX_PARAGRAPH_CHARS:
            self._laid_out(cleaned, at)
        return cleaned.strip() or None

    def _laid_out(self, text: str, at: Address) -> None:
        """Name the cell when one of its paragraphs is too long to lay out (the document would not open in time)."""
        longest = max(len(line) for line in text.split("\n"))
        if longest > MAX_PARAGRAPH_CHARS:
            self.add("paragraph-too-long", at, length=longest, limit=MAX_PARAGRAPH_CHARS)

    def _shown(self, cell: Any, raw: Any, at: Address) -> str:
        """Return what a text cell shows in Excel; name the cell when what will print may not be what was meant."""
        formula = cell.value if cell.data_type == "f" else None
        if formula is None and type(raw) is str:
            return raw  # typed text shows as typed (what the steps below give for text, quicker)
        if formula is not None and isinstance(raw, str) and raw.strip() in _EXCEL_ERRORS:
            self.add("formula-error", at, formula=show(formula), actual=raw.strip())
            return ""
        fmt = number_format(cell)
        shown = shown_text(raw, fmt)
        if shown is not None and isinstance(raw, (datetime.date, int, Decimal)) and is_date_format(fmt) \
                and "年" not in fmt and "DBNum" not in fmt:
            printed = chinese_date(as_date(raw))
            self._as_shown(at, "date", printed, shown=shown)
            return printed
        return shown if shown is not None else plain_text(raw)

    def _as_shown(self, at: Address, variant: str, printed: str, shown: str = "") -> None:
        self.add("text-as-shown", at, variant=variant, shown=shown, actual=printed)


def _typed_formula(cell: Any) -> str | None:
    """Return "=100%" for a formula without references or functions (typed text Excel took for a formula)."""
    if cell.data_type != "f" or cell.formula_type in ("array", "dataTable"):
        return None
    text = cell.value.strip()
    return text if CONSTANT_FORMULA.fullmatch(text) else None


def _unescape(text: str) -> str:
    """Return text with Excel's _xHHHH_ escapes of control characters decoded and line ends made "\\n".

    openpyxl leaves these escapes as literal text; only control characters, tab, line breaks and
    surrogates are decoded, so a typed "_x0041_" stays as typed.
    """
    if "_x" in text:
        text = _ESCAPE.sub(_decode, text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if CONTROL.match(char) or char in "\t\n\r" else match.group(0)


def plain_text(raw: Any) -> str:
    """Return a cell value as the text the user sees: 2024.0 → "2024", a date → "2024-01-31"."""
    if isinstance(raw, Decimal) and raw.is_finite() and raw == raw.to_integral_value() and abs(raw) < 10 ** 15:
        return str(int(raw))
    if isinstance(raw, datetime.datetime) and raw.time() == datetime.time(0):
        return raw.date().isoformat()
    return str(raw)


def describe(raw: Any) -> str:
    """Return how a rejected cell value is named in a message: 文字“abc”, 日期“2024-01-01”, 逻辑值“TRUE”…"""
    if isinstance(raw, bool):
        return f"逻辑值“{'TRUE' if raw else 'FALSE'}”"
    if isinstance(raw, (datetime.date, datetime.time, datetime.timedelta)):
        return f"日期或时间“{show(plain_text(raw))}”（可能是单元格格式被设成了日期）"
    if isinstance(raw, str) and raw.strip() in _EXCEL_ERRORS:
        return f"公式错误值“{raw.strip()}”"
    if isinstance(raw, str) and markers(raw):
        return f"“{show(raw)}”（带有上标或注释符号“{markers(raw)[:3]}”，金额中不能带注释标记，注释请写在说明中）"
    return f"“{show(raw)}”"


def show(raw: Any) -> str:
    """Return a value shortened to 30 characters for a message."""
    text = "" if raw is None else CONTROL.sub("", plain_text(raw) if not isinstance(raw, Decimal) else _decimal(raw))
    return text if len(text) <= 30 else text[:30] + "…"


def _decimal(value: Decimal) -> str:
    return str(value) if abs(value.adjusted()) < 20 else f"{value:.3e}"
