"""The small workbook embedded in each chart (its editable data), written directly: text cells are always text.

The fixed parts are constant XML; the sheet, its shared strings and the number format are built as elements.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

from lxml import etree

from .ooxml import add, element, to_bytes

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: Leading characters a spreadsheet would read as a formula: such text gets Excel's quote prefix (stays as typed).
FORMULA_LEADS = ("=", "+", "-", "@")
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{SHEET_CT}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHEET_CT}.sharedStrings+xml"/></Types>'),
    "_rels/.rels": (
        f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
        '</sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/worksheet" '
        f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
}
#: Styles: 0 plain, 1 text with quote prefix, 2 the shares (its number format set by _styles).
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def chart_workbook(title: str, points: list[tuple[str, Decimal]], number_format: str) -> bytes:
    """Return an .xlsx with the series title in B1 and (label, share) rows from A2: labels as shared strings."""
    parts = {**{name: (HEAD + xml).encode("utf-8") for name, xml in PARTS.items()},
             "xl/worksheets/sheet1.xml": _sheet(title, points),
             "xl/styles.xml": _styles(number_format),
             "xl/sharedStrings.xml": _shared_strings([title] + [label for label, _ in points])}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, xml in parts.items():  # a fixed date: the same data gives the same bytes
            book.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), xml, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _sheet(title: str, points: list[tuple[str, Decimal]]) -> bytes:
    """Return the sheet: the title (shared string 0) in B1, then each label (string i) and its share."""
    sheet = element(_x("worksheet"), nsmap={None: MAIN})
    add(sheet, _x("dimension"), {"ref": f"A1:B{len(points) + 1}"})
    add(add(sheet, _x("cols")), _x("col"), {"min": 1, "max": 1, "width": 24, "customWidth": 1})
    rows = add(sheet, _x("sheetData"))
    _add_text_cell(add(rows, _x("row"), {"r": 1}), "B1", title, 0)
    for i, (label, share) in enumerate(points, start=2):
        row = add(rows, _x("row"), {"r": i})
        _add_text_cell(row, f"A{i}", label, i - 1)
        add(add(row, _x("c"), {"r": f"B{i}", "s": 2}), _x("v"), text=str(share))
    return to_bytes(sheet)


def _add_text_cell(row: Any, ref: str, text: str, string: int) -> None:
    """Add a cell showing shared string number string (text): text a spreadsheet could take for a formula keeps its
    characters and gets the quote-prefix style."""
    style = {"s": 1} if text.startswith(FORMULA_LEADS) else {}
    add(add(row, _x("c"), {"r": ref, "t": "s", **style}), _x("v"), text=str(string))


def _shared_strings(strings: list[str]) -> bytes:
    table = element(_x("sst"), {"count": len(strings), "uniqueCount": len(strings)}, nsmap={None: MAIN})
    for text in strings:
        add(add(table, _x("si")), _x("t"), {"xml:space": "preserve"}, text)
    return to_bytes(table)


def _styles(number_format: str) -> bytes:
    """Return the styles with the shares' number format (style 2)."""
    styles = etree.fromstring(STYLES)
    styles.find(f"{_x('numFmts')}/{_x('numFmt')}").set("formatCode", number_format)
    return to_bytes(styles)


def _x(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"
