"""The small workbook embedded in each chart (its editable data), written directly: text cells are always text."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

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
#: Styles: 0 plain, 1 text with quote prefix, 2 the share format 0.00"%".
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="{{fmt}}"/></numFmts>'
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
    strings = [title] + [label for label, _ in points]
    rows = [f'<row r="1"><c r="B1" t="s"{_text_style(title)}><v>0</v></c></row>']
    for i, (label, share) in enumerate(points, start=2):
        rows.append(f'<row r="{i}"><c r="A{i}" t="s"{_text_style(label)}><v>{i - 1}</v></c>'
                    f'<c r="B{i}" s="2"><v>{share}</v></c></row>')
    sheet = (f'<worksheet xmlns="{MAIN}"><dimension ref="A1:B{len(points) + 1}"/>'
             '<cols><col min="1" max="1" width="24" customWidth="1"/></cols>'
             f'<sheetData>{"".join(rows)}</sheetData></worksheet>')
    shared = "".join(f'<si><t xml:space="preserve">{xml_escape(s)}</t></si>' for s in strings)
    parts = {**PARTS, "xl/worksheets/sheet1.xml": sheet,
             "xl/styles.xml": STYLES.replace("{fmt}", xml_escape(number_format)),
             "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
                                     f'{shared}</sst>'}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, xml in parts.items():  # a fixed date: the same data gives the same bytes
            book.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), HEAD + xml, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def xml_escape(text: str) -> str:
    """Return text safe inside XML element content and double-quoted attributes."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _text_style(text: str) -> str:
    """Text a spreadsheet could take for a formula keeps its characters and gets the quote-prefix style."""
    return ' s="1"' if text.startswith(FORMULA_LEADS) else ""
