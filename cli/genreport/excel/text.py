"""Write user text into a cell so that it stays text: never a formula, a link or an illegal character."""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..visible import printable

#: Excel's limit for the text of one cell.
EXCEL_TEXT_LIMIT = 32_767
#: Leading characters that make a spreadsheet read text as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CUT_MARK = "…（已截断）"


def put_text(cell: Any, value: Any) -> Any:
    """Set cell to value; a str is stored as text (type "s"), marked with Excel's quote prefix when it starts
    like a formula, without XML-illegal characters, and cut to Excel's 32,767 characters. Returns cell.
    """
    if not isinstance(value, str):
        cell.value = value
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    if not text.isprintable() and any("\ud800" <= ch <= "\udfff" for ch in text):
        text = printable(text)  # a file name that is not UTF-8
    if len(text) > EXCEL_TEXT_LIMIT:
        text = text[:EXCEL_TEXT_LIMIT - len(CUT_MARK)] + CUT_MARK
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell
