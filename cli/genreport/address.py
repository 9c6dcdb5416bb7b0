"""Address: where a finding or a value sits in the workbook (sheet, 1-based row and column, A1 text)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def column_letters(number: int) -> str:
    """Return the column letters of a 1-based column number (1 → A, 27 → AA)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """Return the 1-based column number of A, B, …, AA."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


@dataclass(frozen=True)
class Address:
    """A cell (row and column ≥ 1), or a whole sheet (row = column = 0), or the whole workbook (no sheet)."""

    sheet: str = ""
    row: int = 0
    column: int = 0

    @classmethod
    def parse(cls, sheet: str, a1: str) -> Address:
        """Return the address of an A1 reference on sheet ("" or an unreadable reference: the whole sheet)."""
        match = _A1.match(a1 or "")
        if not match:
            return cls(sheet)
        return cls(sheet, int(match.group(2)), column_number(match.group(1)))

    @property
    def a1(self) -> str:
        """Return the A1 reference (D9), "" when the address names no cell."""
        return f"{column_letters(self.column)}{self.row}" if self.row and self.column else ""

    @property
    def letters(self) -> str:
        """Return the column letters (D), "" when there is no column."""
        return column_letters(self.column)

    def shifted(self, rows: int = 0, columns: int = 0) -> Address:
        """Return the address rows below and columns to the right (negative: above / left); a sheet stays a sheet."""
        if not self.a1:
            return self
        return Address(self.sheet, self.row + rows, self.column + columns)

    def sort_key(self) -> tuple[int, int]:
        """Return (row, column) for sorting findings top to bottom, left to right."""
        return (self.row, self.column)

    def __str__(self) -> str:
        """Return 公开05表!D9, the sheet name alone, or "" for the whole workbook."""
        return f"{self.sheet}!{self.a1}" if self.sheet and self.a1 else self.sheet
