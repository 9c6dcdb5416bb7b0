"""Money and percentages as Decimal: parse, round half-up, compare within the 尾差 envelope, display."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
HUNDRED = Decimal("100")

#: Cell texts that mean "blank" in an amount cell (a dash typed instead of leaving it empty).
BLANK_MARKS = frozenset({"", "-", "－", "—", "–", "/", "一", "——"})

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class NotANumber(ValueError):
    """Raised when a cell text cannot be read as an amount."""


def parse_amount(raw: object) -> Decimal | None:
    """Return the Decimal in a cell value or text, or None when the cell is blank.

    Accepts numbers stored as text, full-width digits, thousands separators, spaces and
    NBSP, and accounting negatives such as ``（1,000.00）``. Floats from a spreadsheet
    engine are converted through ``repr`` so that 0.1 stays 0.1 rather than its binary
    expansion. Raises NotANumber for anything else (including booleans and dates).
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NotANumber(str(raw))
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise NotANumber(str(raw))
        return Decimal(repr(raw))
    if isinstance(raw, Decimal):
        return raw
    if not isinstance(raw, str):
        raise NotANumber(str(raw))
    return _parse_text(raw)


def markers(text: str) -> str:
    """Return the superscripts, subscripts, circled or fraction digits in text (²、①、½): footnote marks that
    NFKC would silently turn into digits of the amount (818² must not become 8182)."""
    return "".join(ch for ch in text if unicodedata.category(ch) == "No")


def _parse_text(text: str) -> Decimal | None:
    if markers(text):
        raise NotANumber(text)
    norm = unicodedata.normalize("NFKC", text)
    norm = norm.replace("\u00a0", "").replace(" ", "").replace(",", "").strip()
    if norm in BLANK_MARKS:
        return None
    negative = norm.startswith("(") and norm.endswith(")")
    if negative:
        norm = norm[1:-1]
    if not _NUMBER.match(norm):
        raise NotANumber(text)
    try:
        value = Decimal(norm)
    except InvalidOperation as exc:  # pragma: no cover - the regex already filters
        raise NotANumber(text) from exc
    return -value if negative else value


def quantize(value: Decimal, places: Decimal = CENT) -> Decimal:
    """Return value rounded half-up to 2 decimals (0.125 → 0.13, unlike round())."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def ratio_pct(part: Decimal, whole: Decimal) -> Decimal | None:
    """Return part / whole as a percentage rounded half-up to 2 decimals; None when whole is 0."""
    if whole == 0:
        return None
    return quantize(part * HUNDRED / whole)


def envelope(term_count: int) -> Decimal:
    """Return the 尾差 tolerance for an identity with term_count displayed terms: n × 0.005 万元."""
    return HALF_CENT * term_count


def format_money(value: Decimal | None, blank: str = "") -> str:
    """Return 10,394.91 for a table cell; blank for None."""
    return NumberFormat(blank=blank).format(value)


def format_text_money(value: Decimal | None, thousands: bool = True, zero: str = "0", decimals: int | str = 2) -> str:
    """Return an amount as the narrative prints it: 10,394.91 (10394.91 without thousands), zero as zero."""
    return NumberFormat(decimals=decimals, thousands=thousands, zero=zero).format(value)


#: How "as typed" rounds first: a spreadsheet's binary noise (0.30000000000000004) never prints.
TYPED_PLACES = Decimal("0.000001")
#: The `zero` value that prints a zero like any other number (0.00 with 2 decimals, 0 with none).
ZERO_AS_NUMBER = "number"


@dataclass(frozen=True)
class NumberFormat:
    """How a printed amount looks; the value itself is never changed (checks and figures keep the exact one)."""

    decimals: int | str = 2
    """0–6 places, rounded half-up; "typed": as typed, without trailing zeros (6.4, 0, 12.35)."""
    thousands: bool = True
    """Thousands separators: 9,501,164 or 9501164."""
    zero: str = ZERO_AS_NUMBER
    """How a zero prints: "number" (like other numbers), or the text itself ("0", "0.00", "-", "")."""
    blank: str = ""
    """How a blank cell prints ("" or a text such as "-")."""

    def format(self, value: Decimal | None) -> str:
        """Return value as printed; blank for None, zero for a value that rounds to zero."""
        if value is None:
            return self.blank
        if self.decimals == "typed":
            shown = quantize(value, TYPED_PLACES).normalize()
        else:
            shown = quantize(value, Decimal(1).scaleb(-int(self.decimals)))
        if shown == 0:
            if self.zero != ZERO_AS_NUMBER:
                return self.zero
            shown = shown.copy_abs()
        return f"{shown:,f}" if self.thousands else f"{shown:f}"

    def updated(self, changes: dict | tuple) -> NumberFormat:
        """Return this format with the keys of changes (a mapping or its items) replaced; ValueError names a
        wrong key or value in Chinese."""
        changes = dict(changes)
        known = {f.name for f in fields(self)}
        for key, value in changes.items():
            if key not in known:
                raise ValueError(f"number_format.{key} 不是可用的键（可用：{'、'.join(sorted(known))}）")
        decimals = changes.get("decimals", self.decimals)
        if decimals != "typed" and not (isinstance(decimals, int) and not isinstance(decimals, bool)
                                        and 0 <= decimals <= 6):
            raise ValueError(f"number_format.decimals 应为 0 至 6 的整数或 typed（照录入），实际是 {decimals!r}")
        if not isinstance(changes.get("thousands", True), bool):
            raise ValueError("number_format.thousands 应为 true 或 false")
        texts = {k: str(changes[k]) for k in ("zero", "blank") if k in changes and changes[k] is not None}
        return replace(self, **{**changes, **texts})


def format_pct(value: Decimal | None) -> str:
    """Return 52.76% (always 2 decimals and a percent sign); empty for None."""
    if value is None:
        return ""
    return f"{quantize(value):.2f}%"
