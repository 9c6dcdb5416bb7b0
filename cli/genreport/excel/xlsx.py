"""Read an .xlsx into plain values without openpyxl: the zip's XML parsed once by expat (ElementTree).

A light, read-only copy of the subset of openpyxl's full-mode workbook that the reader uses: sheet names in
workbook order, and per sheet the cells by (row, column) with value, data type, number format, formula text
and cached result, the merged ranges, max_row/max_column and the hidden rows and columns. Values are what
openpyxl gives except numbers, which are Decimal parsed from the XML text (int for integral text), never
float. Any malformed part raises (guard.load turns it into UnreadableWorkbook); the guard's size limits run first.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..address import column_letters, column_number
from .formats import EPOCH_1900, EPOCH_1904, builtin_format, format_kind, from_serial

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ROW, _CELL, _V, _F, _IS, _T, _R = (NS + t for t in ("row", "c", "v", "f", "is", "t", "r"))
_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?(?::\$?([A-Za-z]{1,3})?\$?(\d+)?)?$")
_DOCTYPE = tuple("<!DOCTYPE".encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"))
#: Excel keeps 15 significant digits; digits beyond are the binary noise of its float (1488.3999999999999).
_EXCEL_DIGITS = Context(prec=15, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
_MAX_COLUMN = 18_278  # ZZZ, openpyxl's limit
_COLUMNS: dict[str, int] = {}


class Cell:
    """One cell: value and data_type as openpyxl's ("n", "s", "b", "d", "e", "f"), formula text and its cached value.

    The class attributes are the defaults of an empty cell; a parsed cell sets only what it has.
    """

    value: Any = None
    data_type = "n"
    number_format = "General"
    formula_type: str | None = None
    """None, "shared", "array" or "dataTable" for a formula (data_type "f")."""
    cached: Any = None
    """The result Excel saved for a formula (None when it saved none)."""
    merged = False
    """True for a cell hidden under a merge (openpyxl's MergedCell): no value."""

    def __init__(self, row: int, column: int) -> None:
        self.row, self.column = row, column

    @property
    def coordinate(self) -> str:
        return f"{column_letters(self.column)}{self.row}"


class Sheet:
    """One worksheet's cells; ws.cell() of an empty position gives an empty cell without storing it."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.cells: dict[tuple[int, int], Cell] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        """(min_col, min_row, max_col, max_row) of each merged range."""
        self.hidden_rows: set[int] = set()
        self.hidden_columns: list[tuple[int, int]] = []
        """(first, last) column numbers of each hidden <col> range."""
        self.max_row = self.max_column = 1

    def cell(self, row: int, column: int) -> Cell:
        return self.cells.get((row, column)) or Cell(row, column)

    def merged_range(self, row: int, column: int) -> str:
        """Return the merged range covering the cell ("B3:D3"), "" when none does."""
        for low_col, low_row, high_col, high_row in self.merged:
            if low_row <= row <= high_row and low_col <= column <= high_col:
                return f"{column_letters(low_col)}{low_row}:{column_letters(high_col)}{high_row}"
        return ""


class Book:
    """The worksheets of a workbook in workbook order: book.sheetnames, book[name]."""

    def __init__(self, sheets: list[Sheet]) -> None:
        self._sheets = {sheet.title: sheet for sheet in sheets}
        self.sheetnames = list(self._sheets)

    def __getitem__(self, name: str) -> Sheet:
        return self._sheets[name]


def read_book(path: Path) -> Book:
    """Return the workbook at path; raises (zipfile, expat, ValueError, KeyError…) when a part is malformed.

    The collector keeps running here: pausing it while a batch worker parses made its memory grow report by report.
    """
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        book = _parse(archive, "xl/workbook.xml")
        rels = _rels(archive, "xl/_rels/workbook.xml.rels", names)
        by_type = {kind.rsplit("/", 1)[-1]: target for target, kind in rels.values()}
        properties = book.find(NS + "workbookPr")
        epoch = EPOCH_1904 if properties is not None and _true(properties.get("date1904")) else EPOCH_1900
        styles = _styles(archive, by_type.get("styles"), names)
        strings = _strings(archive, by_type.get("sharedStrings"), names)
        sheets = []
        for entry in book.iter(NS + "sheet"):
            if entry.get(_RID) is None:
                continue
            target, kind = rels[entry.get(_RID)]
            if target not in names:
                continue  # openpyxl skips a sheet whose part is missing
            sheet = Sheet(entry.get("name", ""))
            if not kind.endswith("/chartsheet"):
                _SheetParser(sheet, styles, strings, epoch).parse(_parse(archive, target))
            sheets.append(sheet)
    return Book(sheets)


def _parse(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    """Return the root of an XML part; a DTD (entity tricks) is refused, expat never fetches external entities."""
    data = archive.read(name)
    if any(marker in data for marker in _DOCTYPE):
        raise ValueError(f"{name} declares a DTD")
    return ElementTree.fromstring(data)


def _rels(archive: zipfile.ZipFile, name: str, names: set[str]) -> dict[str, tuple[str, str]]:
    """Return {relationship id: (part name in the zip, type)} of a .rels part ({} when absent)."""
    if name not in names:
        return {}
    base = posixpath.dirname(posixpath.dirname(name))
    found = {}
    for rel in _parse(archive, name).iter(_REL):
        target = rel.get("Target") or ""
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        found[rel.get("Id")] = (part, rel.get("Type") or "")
    return found


def _styles(archive: zipfile.ZipFile, part: str | None, names: set[str]) -> list[tuple[str, str]]:
    """Return (number format code, "date" | "timedelta" | "") per cell style index."""
    if part not in names:
        return [("General", "")]
    root = _parse(archive, part)
    custom = {int(fmt.get("numFmtId")): fmt.get("formatCode") or "" for fmt in root.iter(NS + "numFmt")}
    table = root.find(NS + "cellXfs")
    styles = []
    for xf in table.iter(NS + "xf") if table is not None else ():
        number = int(xf.get("numFmtId") or 0)
        code = custom.get(number) or builtin_format(number)
        styles.append((code, format_kind(code)))
    return styles or [("General", "")]


def _strings(archive: zipfile.ZipFile, part: str | None, names: set[str]) -> list[str]:
    """Return the shared strings: plain text plus rich-text runs, phonetic runs ignored (as openpyxl)."""
    if part not in names:
        return []
    return [_text(item).replace("x005F_", "") for item in _parse(archive, part).iter(NS + "si")]


def _text(element: ElementTree.Element) -> str:
    if len(element) == 1 and element[0].tag == _T:
        return element[0].text or ""
    plain = element.find(_T)
    runs = [run.find(_T) for run in element.iter(_R)]
    return "".join(t.text or "" for t in [plain, *runs] if t is not None)


def range_bounds(ref: str) -> tuple[int | None, int | None, int | None, int | None]:
    """Return (min_col, min_row, max_col, max_row) of "A1:B2", "A1", "A:B" or "1:2" (openpyxl's range_boundaries)."""
    match = _RANGE.match(ref)
    if not match or not any(match.groups()):
        raise ValueError(f"{ref} is not a valid coordinate or range")
    low_col, low_row, high_col, high_row = match.groups()
    if ":" in ref and not (all(match.groups()) or (low_col and high_col and not (low_row or high_row))
                           or (low_row and high_row and not (low_col or high_col))):
        raise ValueError(f"{ref} is not a valid coordinate or range")
    cols = [column_number(c) if c else None for c in (low_col, high_col or low_col)]
    rows = [int(r) if r else None for r in (low_row, high_row or low_row)]
    return cols[0], rows[0], cols[1], rows[1]


class _SheetParser:
    """Fills one Sheet from its XML the way openpyxl's full-mode WorksheetReader binds cells."""

    def __init__(self, sheet: Sheet, styles: list[tuple[str, str]], strings: list[str], epoch: datetime.datetime):
        self.sheet, self.styles, self.strings, self.epoch = sheet, styles, strings, epoch
        self.shared: dict[str | None, str] = {}  # si of a shared formula → the master's text

    def parse(self, root: ElementTree.Element) -> None:
        sheet = self.sheet
        data = root.find(NS + "sheetData")
        number = high_row = high_col = 0
        for row in data if data is not None else ():
            if row.tag != _ROW:
                continue
            text = row.get("r")
            number = number + 1 if text is None else int(text) if text.isdigit() else _row_number(text)
            if row.get("hidden") and _true(row.get("hidden")):
                sheet.hidden_rows.add(number)
            column = 0
            for element in row:
                if element.tag != _CELL:
                    continue
                at, column = self._cell(element, number, column + 1)
                if at > high_row:
                    high_row = at
                if column > high_col:
                    high_col = column
        self._merges(root)
        self._columns(root)
        spans = [*sheet.cells, (high_row, high_col)] if high_row else list(sheet.cells)
        for ref in (link.get("ref") or "" for link in root.iter(NS + "hyperlink")):
            spans += _corner(ref)
        if spans:
            sheet.max_row = max(r for r, _ in spans)
            sheet.max_column = max(c for _, c in spans)

    def _cell(self, element: ElementTree.Element, row: int, column: int) -> tuple[int, int]:
        """Store one <c> (its r, else the next column of the row) and return its (row, column).

        A <c> without content is not stored: like an absent cell it has no value (it counts for max_row).
        """
        ref = element.get("r")
        if ref:
            letters = ref.rstrip("0123456789")
            column = _COLUMNS.get(letters) or _column(letters)
            row = int(ref[len(letters):])
            if row < 1:
                raise ValueError(f"{ref} is not a cell reference")
        style = element.get("s")
        code, kind = self.styles[int(style) if style else 0]
        if not len(element):
            return row, column
        cell = self.sheet.cells[row, column] = Cell(row, column)
        cell.number_format = code
        kind_of, first = element.get("t", "n"), element[0]
        if len(element) > 1 or not first.text and first.tag == _V:
            self._general(cell, element, kind_of, kind)
        elif first.tag == _V and kind_of == "n" and not kind:  # the common cases, made quick
            cell.value = _number(first.text)
        elif first.tag == _V and kind_of == "s":
            cell.data_type, cell.value = "s", self.strings[_index(first.text, len(self.strings))]
        elif first.tag == _IS and kind_of == "inlineStr":
            cell.data_type, cell.value = "s", _text(first)
        else:
            self._general(cell, element, kind_of, kind)
        return row, column

    def _general(self, cell: Cell, element: ElementTree.Element, kind_of: str, kind: str) -> None:
        """Fill a cell from its <v>, <f> and <is> as openpyxl does: a formula keeps its text and cached value."""
        text = formula = None
        for child in element:
            if child.tag == _V:
                text = child.text
            elif child.tag == _F:
                formula = child
        if formula is not None:
            cell.data_type = "f"
            cell.value, cell.formula_type = self._formula(formula)
            cell.cached = self._value(element, kind_of, text or None, kind)[1]
        else:
            cell.data_type, cell.value = self._value(element, kind_of, text or None, kind)

    def _value(self, element: ElementTree.Element, kind_of: str, text: str | None, kind: str) -> tuple[str, Any]:
        """Return (data type, value) of a cell's saved value as openpyxl converts it (numbers as Decimal/int)."""
        if kind_of == "inlineStr":
            inline = element.find(_IS)
            return ("s", _text(inline)) if inline is not None else (kind_of, None)
        if text is None:
            return kind_of, None
        if kind_of == "n":
            number = _number(text)
            if not kind:
                return "n", number
            try:
                return "d", from_serial(Decimal(number), self.epoch, kind == "timedelta")
            except (OverflowError, ValueError):
                return "e", "#VALUE!"  # openpyxl: a date serial out of range is an error value
        if kind_of == "s":
            return "s", self.strings[_index(text, len(self.strings))]
        if kind_of == "b":
            return "b", bool(int(text))
        if kind_of == "str":
            return "s", text
        if kind_of == "d":
            return "d", datetime.datetime.fromisoformat(text.rstrip("Z"))
        return kind_of, text

    def _formula(self, formula: ElementTree.Element) -> tuple[str, str | None]:
        """Return (formula text, kind); a shared formula's dependants give the master's text, untranslated."""
        text = "=" + (formula.text or "")
        kind = formula.get("t")
        if kind == "shared":
            index = formula.get("si")
            if index in self.shared:
                text = self.shared[index]
            elif text != "=":
                self.shared[index] = text
        elif kind == "dataTable":
            text = f"=TABLE({formula.get('r1') or ''},{formula.get('r2') or ''})"
        return text, kind

    def _merges(self, root: ElementTree.Element) -> None:
        """Record merged ranges; every cell of a range but its top-left becomes an empty merged cell."""
        sheet = self.sheet
        for merge in root.iter(NS + "mergeCell"):
            low_col, low_row, high_col, high_row = _box(merge.get("ref") or "")
            sheet.merged.append((low_col, low_row, high_col, high_row))
            if (low_row, low_col) not in sheet.cells:
                sheet.cells[low_row, low_col] = Cell(low_row, low_col)
            for row in range(low_row, high_row + 1):
                for column in range(low_col, high_col + 1):
                    if (row, column) != (low_row, low_col):
                        cell = sheet.cells[row, column] = Cell(row, column)
                        cell.merged = True

    def _columns(self, root: ElementTree.Element) -> None:
        """Record hidden <col> ranges (openpyxl keys column dimensions by their first column: the last one wins)."""
        by_first: dict[int, tuple[int, int, bool]] = {}
        for col in root.iter(NS + "col"):
            first = int(col.get("min") or "")
            if not 1 <= first <= _MAX_COLUMN:
                raise ValueError(f"column {first} out of range")
            by_first[first] = (first, int(col.get("max") or first), _true(col.get("hidden")))
        self.sheet.hidden_columns = [(first, last) for first, last, hidden in by_first.values() if hidden]


def _row_number(text: str | None) -> int:
    """Return a row's r attribute as openpyxl reads it (an integral float is accepted)."""
    try:
        return int(text or "")
    except ValueError:
        number = float(text or "")
        if not number.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(number)


def _column(letters: str) -> int:
    """Return the column number of a cell reference's letters ("B", "$B$"), remembered; ValueError if none."""
    bare = letters.replace("$", "")
    if not 1 <= len(bare) <= 3 or not bare.isalpha() or not bare.isascii() or letters.count("$") > 2 \
            or (letters.count("$") == 2 and not letters.startswith("$")) or letters.strip("$") != bare:
        raise ValueError(f"{letters} are not column letters")
    number = _COLUMNS[letters] = column_number(bare)
    return number


def _box(ref: str) -> tuple[int, int, int, int]:
    """Return the bounds of a merged range; ValueError unless it names rows and columns, low before high."""
    bounds = range_bounds(ref)
    if None in bounds or bounds[0] > bounds[2] or bounds[1] > bounds[3] or not bounds[1]:
        raise ValueError(f"{ref} is not a valid range")
    return bounds  # type: ignore[return-value]


def _corner(ref: str) -> list[tuple[int, int]]:
    """Return the bottom-right (row, column) of a hyperlink's range (openpyxl creates its cells); [] if unusable."""
    try:
        low_col, low_row, high_col, high_row = range_bounds(ref)
    except ValueError:
        return []
    return [(high_row, high_col)] if high_row and high_col else []


def _index(text: str, size: int) -> int:
    index = int(text)
    if not 0 <= index < size:
        raise IndexError(f"shared string {index} of {size}")
    return index


def _number(text: str) -> int | Decimal:
    """Return a saved number as openpyxl's int (integral text) or else a Decimal of at most Excel's 15 digits."""
    if "." not in text and "e" not in text and "E" not in text:
        return int(text)
    if len(text) <= 15 and "e" not in text and "E" not in text and text[-1] != "0":
        return Decimal(text)  # at most 14 digits, no trailing zero: already what the slow path gives
    value = _EXCEL_DIGITS.plus(Decimal(text)).normalize(_EXCEL_DIGITS)
    if value.is_zero():
        return Decimal(0)
    if value.as_tuple().exponent > 0 and value.adjusted() < 28:  # type: ignore[operator]
        return value.quantize(Decimal(1))  # 1.5E+3 → 1500
    return value


def _true(flag: str | None) -> bool:
    """Return an XML boolean as openpyxl's Bool reads it ("0", "false" and "f" are false)."""
    return bool(flag) and flag not in ("0", "false", "f")
