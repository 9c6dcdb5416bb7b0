"""Excel number formats as the reader needs them: the built-in format codes, which codes show dates, serials as dates."""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from .display import CJK_BUILTIN

#: Excel's built-in number formats (as openpyxl knows them; CJK_BUILTIN adds the zh-CN ones).
_BUILTIN = dict(enumerate(
    ["General", "0", "0.00", "#,##0", "#,##0.00", '"$"#,##0_);("$"#,##0)', '"$"#,##0_);[Red]("$"#,##0)',
     '"$"#,##0.00_);("$"#,##0.00)', '"$"#,##0.00_);[Red]("$"#,##0.00)', "0%", "0.00%", "0.00E+00", "# ?/?",
     "# ??/??", "mm-dd-yy", "d-mmm-yy", "d-mmm", "mmm-yy", "h:mm AM/PM", "h:mm:ss AM/PM", "h:mm", "h:mm:ss",
     "m/d/yy h:mm"]))
_BUILTIN.update(enumerate(
    ["#,##0_);(#,##0)", "#,##0_);[Red](#,##0)", "#,##0.00_);(#,##0.00)", "#,##0.00_);[Red](#,##0.00)",
     '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)', '_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)',
     '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)',
     '_("$"* #,##0.00_)_("$"* \\(#,##0.00\\)_("$"* "-"??_)_(@_)', "mm:ss", "[h]:mm:ss", "mmss.0", "##0.0E+0", "@"],
    start=37))
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # openpyxl's is_date_format rules
_DATE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
EPOCH_1900, EPOCH_1904 = datetime.datetime(1899, 12, 30), datetime.datetime(1904, 1, 1)


def builtin_format(number: int) -> str:
    """Return the code of a built-in number format id (zh-CN ids included), "General" for an unknown one."""
    return _BUILTIN.get(number) or CJK_BUILTIN.get(number, "General")


def format_kind(code: str) -> str:
    """Return "date", "timedelta" or "" for a format code, by openpyxl's rules (first section only)."""
    first = code.split(";")[0]
    if _TIMEDELTA.search(first):
        return "timedelta"
    return "date" if _DATE.search(_STRIP.sub("", first)) else ""


def from_serial(serial: Decimal, epoch: datetime.datetime, timedelta: bool) -> Any:
    """Return an Excel serial as openpyxl's from_excel does: datetime, time (below 1) or timedelta."""
    milliseconds = int((serial * 86_400_000).to_integral_value(ROUND_HALF_UP))
    if timedelta:
        return datetime.timedelta(milliseconds=milliseconds)
    day = int(serial.to_integral_value(ROUND_FLOOR))
    diff = datetime.timedelta(milliseconds=milliseconds - day * 86_400_000)
    if 0 <= serial < 1 and diff.days == 0:
        return (datetime.datetime.min + diff).time()
    if 0 < serial < 60 and epoch == EPOCH_1900:
        day += 1  # Excel's 1900-02-29
    return epoch + datetime.timedelta(days=day) + diff
