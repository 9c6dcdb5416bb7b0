"""The reader's own .xlsx parser (excel/xlsx.py) against openpyxl, and the promise that reading never imports openpyxl."""

from __future__ import annotations

import datetime
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

from genreport.errors import UnreadableWorkbook
from genreport.excel import guard, xlsx
from genreport.excel.display import number_format

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*/workbook.xlsx"))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
          'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override '
          'PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.sharedStrings+xml"/></Types>')
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
         f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
         f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_ROOT_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
              f'relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
              '</Relationships>')
#: Styles: 0 General, 1 a custom date, 2 built-in 14 (mm-dd-yy), 3 zh-CN built-in 31 (yyyy"年"m"月"d"日"), 4 0.00%.
_STYLES = (f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m'
           '&quot;月&quot;"/></numFmts><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="14"/>'
           '<xf numFmtId="31"/><xf numFmtId="10"/></cellXfs></styleSheet>')
_STRINGS = (f'<sst xmlns="{MAIN}"><si><t>单位</t></si><si><r><t>合</t></r><r><rPr><b/></rPr><t>计</t></r>'
            '<rPh sb="0" eb="1"><t>ごう</t></rPh></si><si><t>_x005F_x0041_</t></si></sst>')
_CELLS = {
    "A1": '<c r="A1" t="s"><v>0</v></c>', "B1": '<c r="B1" t="s"><v>1</v></c>', "C1": '<c r="C1" t="s"><v>2</v></c>',
    "A2": '<c r="A2"><v>12</v></c>', "B2": '<c r="B2"><v>1488.3999999999999</v></c>',
    "C2": '<c r="C2"><v>1.5E+3</v></c>', "D2": '<c r="D2" s="4"><v>0.125</v></c>',
    "A3": '<c r="A3" t="b"><v>1</v></c>', "B3": '<c r="B3" t="e"><v>#DIV/0!</v></c>',
    "C3": '<c r="C3" t="inlineStr"><is><t>行内</t></is></c>', "D3": '<c r="D3" t="str"><f>A1&amp;"!"</f><v>单位!</v></c>',
    "A4": '<c r="A4" s="1"><v>45658</v></c>', "B4": '<c r="B4" s="2"><v>45323</v></c>',
    "C4": '<c r="C4" s="3"><v>45323</v></c>', "D4": '<c r="D4" s="1"><f>A4+1</f><v>45659</v></c>',
    "A5": '<c r="A5"><f t="shared" ref="A5:A6" si="0">A2*2</f><v>24</v></c>',
    "A6": '<c r="A6"><f t="shared" si="0"/><v>2976.8</v></c>',
    "B5": '<c r="B5"><f t="array" ref="B5">SUM(A2:A3)</f><v>13</v></c>', "C5": '<c r="C5"><f>A2+A3</f></c>',
    "A7": '<c r="A7" t="s"><v>0</v></c>', "B7": '<c r="B7"><v>5</v></c>', "E9": '<c r="E9" s="4"/>',
}


def _workbook(tmp_path: Path, cells: dict[str, str] = _CELLS, book_pr: str = "<workbookPr/>",
              extra: str = "") -> Path:
    """Return an .xlsx written by hand (no openpyxl), one sheet "表" holding the given <c> elements."""
    rows: dict[int, list[str]] = {}
    for ref, xml in cells.items():
        rows.setdefault(int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), []).append(xml)
    hidden = {6: ' hidden="1"'}
    data = "".join(f'<row r="{r}"{hidden.get(r, "")}>{"".join(xml)}</row>' for r, xml in sorted(rows.items()))
    sheet = (f'<worksheet xmlns="{MAIN}"><cols><col min="3" max="4" hidden="1"/></cols><sheetData>{data}</sheetData>'
             f'<mergeCells count="1"><mergeCell ref="A7:C8"/></mergeCells>{extra}</worksheet>')
    book = (f'<workbook xmlns="{MAIN}" xmlns:r="{_REL}">{book_pr}<sheets><sheet name="表" sheetId="1" r:id="rId1"/>'
            '</sheets></workbook>')
    path = tmp_path / "手写.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in (("[Content_Types].xml", _TYPES), ("_rels/.rels", _ROOT_RELS), ("xl/workbook.xml", book),
                           ("xl/_rels/workbook.xml.rels", _RELS), ("xl/styles.xml", _STYLES),
                           ("xl/sharedStrings.xml", _STRINGS), ("xl/worksheets/sheet1.xml", sheet)):
            archive.writestr(name, text)
    return path


def test_values_as_openpyxl_gives_them_but_numbers_as_decimal(tmp_path):
    ws = guard.open_workbook(_workbook(tmp_path))["表"]
    values = {ref: ws.cell(int(ref[1:]), ord(ref[0]) - 64).value for ref in _CELLS}
    assert values["A1"] == "单位" and values["B1"] == "合计" and values["C1"] == "_x0041_"  # runs joined, rPh ignored
    assert values["A2"] == 12 and type(values["A2"]) is int
    assert values["B2"] == Decimal("1488.4") and str(values["C2"]) == "1500" and values["D2"] == Decimal("0.125")
    assert values["A3"] is True and values["B3"] == "#DIV/0!" and values["C3"] == "行内"
    assert values["A4"] == datetime.datetime(2025, 1, 1) and values["B4"] == datetime.datetime(2024, 2, 1)
    assert values["C4"] == datetime.datetime(2024, 2, 1), "zh-CN built-in date ids are dates too"
    assert ws.cell(3, 2).data_type == "e" and ws.cell(3, 1).data_type == "b" and ws.cell(4, 3).data_type == "d"


def test_formulas_keep_their_text_and_cached_result(tmp_path):
    ws = guard.open_workbook(_workbook(tmp_path))["表"]
    formulas = {ref: ws.cell(int(ref[1:]), ord(ref[0]) - 64) for ref in ("D3", "D4", "A5", "A6", "B5", "C5")}
    assert all(cell.data_type == "f" for cell in formulas.values())
    assert (formulas["D3"].value, formulas["D3"].cached) == ('=A1&"!"', "单位!")
    assert formulas["D4"].cached == datetime.datetime(2025, 1, 2)
    assert (formulas["A5"].value, formulas["A5"].cached) == ("=A2*2", 24)
    assert (formulas["A6"].value, formulas["A6"].cached) == ("=A2*2", Decimal("2976.8")), "a dependant: master's text"
    assert (formulas["B5"].formula_type, formulas["B5"].value, formulas["B5"].cached) == ("array", "=SUM(A2:A3)", 13)
    assert formulas["C5"].cached is None


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
def test_merges_hidden_rows_columns_and_extent_match_openpyxl(tmp_path):
    path = _workbook(tmp_path)
    ws, theirs = guard.open_workbook(path)["表"], openpyxl.load_workbook(path)["表"]
    assert (ws.max_row, ws.max_column) == (theirs.max_row, theirs.max_column) == (9, 5)
    assert ws.merged_range(8, 2) == "A7:C8" and ws.merged_range(9, 2) == ""
    assert ws.cell(7, 1).value == "单位" and not ws.cell(7, 1).merged
    assert ws.cell(7, 2).merged and ws.cell(7, 2).value is None and isinstance(theirs["B7"], MergedCell)
    assert ws.hidden_rows == {6} and ws.hidden_columns == [(3, 4)]


def test_the_1904_date_system(tmp_path):
    ws = guard.open_workbook(_workbook(tmp_path, book_pr='<workbookPr date1904="1"/>'))["表"]
    assert ws.cell(4, 1).value == datetime.datetime(2029, 1, 2)


@pytest.mark.parametrize("cell", ['<c r="A1" t="s"><v>9</v></c>', '<c r="A1"><v>abc</v></c>', '<c r="A0"><v>1</v></c>',
                                  '<c r="A1" s="99"><v>1</v></c>', '<c r="ZZZZ1"><v>1</v></c>'],
                         ids=["string-index", "number", "row-0", "style-index", "column"])
def test_a_malformed_cell_makes_the_workbook_unreadable(tmp_path, cell):
    with pytest.raises(UnreadableWorkbook, match="已损坏，无法作为 Excel 工作簿打开"):
        guard.open_workbook(_workbook(tmp_path, {"A1": cell}))


def test_a_document_type_declaration_is_refused(tmp_path):
    path = _workbook(tmp_path)
    data = {n: zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist()}
    data["xl/sharedStrings.xml"] = b'<!DOCTYPE sst [<!ENTITY e "x">]>' + data["xl/sharedStrings.xml"]
    with zipfile.ZipFile(path, "w") as archive:
        for name, body in data.items():
            archive.writestr(name, body)
    with pytest.raises(UnreadableWorkbook, match="已损坏"):
        guard.open_workbook(path)


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_every_cell_of_the_samples_reads_as_openpyxl_reads_it(sample):
    ours = guard.open_workbook(sample)
    formulas, values = openpyxl.load_workbook(sample), openpyxl.load_workbook(sample, data_only=True)
    assert ours.sheetnames == formulas.sheetnames
    for name in ours.sheetnames:
        ws, theirs = ours[name], formulas[name]
        assert (ws.max_row, ws.max_column) == (theirs.max_row, theirs.max_column), name
        for (row, col), cell in theirs._cells.items():
            mine = ws.cell(row, col)
            assert mine.merged == isinstance(cell, MergedCell), (name, cell.coordinate)
            expected = values[name].cell(row, col).value if cell.data_type == "f" else cell.value
            got = mine.cached if cell.data_type == "f" else mine.value
            if isinstance(expected, float):
                expected = Decimal(repr(expected))
            assert got == expected and (got is None or number_format(cell) == mine.number_format), \
                (name, cell.coordinate)
        assert ws.hidden_rows == {r for r, d in theirs.row_dimensions.items() if d.hidden}


@pytest.mark.parametrize("command", [["{sample}", "-o", "{out}"], ["check", "{sample}"]], ids=["generate", "check"])
def test_generating_and_checking_never_import_openpyxl(tmp_path, command):
    args = [a.format(sample=SAMPLES[-1], out=tmp_path / "报告.docx") for a in command]
    script = ("import runpy, sys\nsys.argv = ['genreport', *sys.argv[1:]]\ntry:\n"
              "    runpy.run_module('genreport', run_name='__main__')\nexcept SystemExit as exit:\n"
              "    assert exit.code in (0, None, 1), exit.code\n"
              "print('openpyxl imported' if 'openpyxl' in sys.modules else 'openpyxl not imported')\n")
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("openpyxl not imported"), done.stdout
