"""The text a cell shows in Excel: a number or date formatted with the cell's number format.

Text fields print what the accountant sees: 1 formatted ``0%`` is "100%", a date formatted
``yyyy"年"m"月"`` is "2025年9月" (``[DBNum1]`` gives 二〇二五年九月). Only the parts of Excel's format
language that text cells meet are understood (dates, percentages, fixed decimals, thousands); for
anything else shown_text returns None and the caller keeps the plain value.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

#: Built-in East Asian (zh-CN) number formats that openpyxl does not know; Excel writes them by id only.
CJK_BUILTIN = {
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
    36: 'yyyy"年"m"月"', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: 'm"月"d"日"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}
_QUOTED = re.compile(r'"([^"]*)"|\\(.)')
_BRACKETS = re.compile(r"\[[^\]]*\]")
_DATE_TOKENS = re.compile(r"yyyy|yy|mm|m|dd|d", re.IGNORECASE)
_TIME = re.compile(r"[hs]|AM/PM|上午/下午", re.IGNORECASE)
_CN = "〇一二三四五六七八九"
#: A formula without references or functions: what Excel made of typed text such as "=100%".
CONSTANT_FORMULA = re.compile(r"=[\d\s.,%+\-*/()]+")


def number_format(cell: Any) -> str:
    """Return the cell's number format code, resolving the zh-CN built-in ids openpyxl reads as General.

    The reader's cells (xlsx.Cell) carry the resolved code already; openpyxl cells (tests, annotate) do not.
    """
    fmt = getattr(cell, "number_format", "General") or "General"
    if fmt == "General":
        style = getattr(cell, "_style", None)
        fmt = CJK_BUILTIN.get(getattr(style, "numFmtId", 0), fmt)
    return fmt


def is_date_format(fmt: str) -> bool:
    """Return True when the format shows a date (y, m or d outside quotes and brackets, no time part)."""
    bare = _BRACKETS.sub("", _QUOTED.sub("", fmt))
    return bool(re.search(r"[yd]", bare, re.IGNORECASE)) and not _TIME.search(bare)


def shown_text(value: Any, fmt: str) -> str | None:
    """Return value as Excel shows it with fmt, None when fmt says nothing a text field needs."""
    section = fmt.split(";")[0]
    if isinstance(value, (datetime.date, datetime.datetime)) or (_is_number(value) and is_date_format(section)):
        return format_date(as_date(value), section) if is_date_format(section) else None
    if not _is_number(value) or section in ("General", "@"):
        return None
    bare = _BRACKETS.sub("", _QUOTED.sub("", section))
    if not re.search(r"[0#]", bare):
        return None
    return _format_number(Decimal(str(value)), bare)


def chinese_date(value: datetime.date) -> str:
    """Return 2025年9月 for the first of a month (how 2025年9月 typed into Excel comes back), else 2025年9月15日."""
    text = f"{value.year}年{value.month}月"
    return text if value.day == 1 else f"{text}{value.day}日"


def format_date(value: datetime.date, fmt: str) -> str:
    """Return value laid out by a date format: yyyy, yy, m, mm, d, dd and quoted literals; [DBNum1] in 〇一二."""
    cn = "DBNum1" in fmt or "DBNum2" in fmt
    out = []
    for literal, escaped, token in _pieces(_BRACKETS.sub("", fmt)):
        if token:
            out.append(_date_part(value, token.lower(), cn))
        else:
            out.append(literal if literal is not None else escaped)
    return "".join(out)


def _pieces(fmt: str) -> list[tuple[str | None, str | None, str | None]]:
    pieces: list[tuple[str | None, str | None, str | None]] = []
    pos = 0
    for match in _QUOTED.finditer(fmt):
        pieces += _tokens(fmt[pos:match.start()])
        pieces.append((match.group(1), match.group(2), None))
        pos = match.end()
    return pieces + _tokens(fmt[pos:])


def _tokens(text: str) -> list[tuple[str | None, str | None, str | None]]:
    pieces: list[tuple[str | None, str | None, str | None]] = []
    pos = 0
    for match in _DATE_TOKENS.finditer(text):
        pieces.append((text[pos:match.start()], None, None))
        pieces.append((None, None, match.group(0)))
        pos = match.end()
    return pieces + [(text[pos:], None, None)]


def _date_part(value: datetime.date, token: str, cn: bool) -> str:
    if token.startswith("y"):
        digits = f"{value.year:04d}" if token == "yyyy" else f"{value.year % 100:02d}"
        return "".join(_CN[int(ch)] for ch in digits) if cn else digits
    number = value.month if token.startswith("m") else value.day
    if cn:
        tens, ones = divmod(number, 10)
        return ("" if tens < 2 else _CN[tens]) + ("十" if tens else "") + (_CN[ones] if ones or not tens else "")
    return f"{number:02d}" if len(token) == 2 else str(number)


def _format_number(number: Decimal, fmt: str) -> str:
    percent = "%" in fmt
    if percent:
        number *= 100
    decimals = len(re.search(r"\.([0#]*)", fmt).group(1)) if "." in fmt else 0
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}" if "," in fmt else f"{rounded:.{decimals}f}"
    return text + ("%" if percent else "")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def as_date(value: Any) -> datetime.date:
    """Return a cell date (or an Excel serial number) as a date."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.date() if isinstance(value, datetime.datetime) else value
    return (datetime.datetime(1899, 12, 30) + datetime.timedelta(days=float(value))).date()
