"""Tables look like the form, by data only (issue 25): number formats, split code columns, placeholders, empty grids,
numbering and the 目录 come from the exported profile and spec; each test looks at the document's table XML.

Every test starts from `genreport template export` and edits the exported YAML as an editor would.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from budget_support import BUDGET_SAMPLE
from click.testing import CliRunner
from lxml import etree

from genreport.commands import cli, main

ROOT = Path(__file__).resolve().parent.parent
CENTRAL_SAMPLE = ROOT / "samples" / "xinxiang-2024" / "workbook.xlsx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _export(folder: Path, profile: str) -> Path:
    result = CliRunner().invoke(cli, ["template", "export", "--profile", profile, str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _profile_file(folder: Path) -> Path:
    return next((folder / "workbook_specs" / "profiles").glob("*.yaml"))


def _spec_table(data: dict, table_id: str) -> dict:
    return next(t for t in data["tables"] if t["id"] == table_id)


def _generate(workbook: Path, folder: Path, out: Path) -> Path:
    result = CliRunner().invoke(cli, [str(workbook), "--template", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return next(out.glob("*.docx"))


def _body(docx: Path):
    with zipfile.ZipFile(docx) as package:
        return etree.fromstring(package.read("word/document.xml")).find(f"{W}body")


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _tables(docx: Path) -> dict[str, list[list[str]]]:
    """Return each table of the document's XML, named by the 表名 paragraph before it, as rows of cell texts."""
    found, heading = {}, ""
    for element in _body(docx):
        if element.tag == f"{W}p" and element.find(f"{W}pPr/{W}pStyle") is not None:
            if _text(element).strip() and element.find(f"{W}pPr/{W}pStyle").get(f"{W}val") in ("表名", "a7", _BIAOMING):
                heading = _text(element)
        if element.tag == f"{W}tbl":
            found[heading] = [[_text(c) for c in row.findall(f"{W}tc")] for row in element.findall(f"{W}tr")]
    return found


_BIAOMING = "表名"


@pytest.fixture(scope="module")
def budget_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("budget")


def _budget_export(tmp_path: Path) -> Path:
    return _export(tmp_path / "模板", "shanghai-district-budget")


def _table(tables: dict[str, list[list[str]]], title: str) -> list[list[str]]:
    matches = [rows for heading, rows in tables.items() if heading.endswith(title)]
    assert matches, (title, list(tables))
    return matches[0]


def test_a_profile_in_whole_yuan_prints_whole_yuan_cells(tmp_path):
    folder = _budget_export(tmp_path)
    _edit_yaml(_profile_file(folder), lambda d: d["conventions"].update(number_format={"decimals": 0}))
    tables = _tables(_generate(BUDGET_SAMPLE, folder, tmp_path / "out"))
    rows = _table(tables, "部门支出预算总表")
    assert rows[2] == ["201", "一般公共服务支出", "22,186,441", "16,093,326", "6,093,115"]  # 22,186,440.80 half-up
    assert rows[-1][:3] == ["", "合计", "31,214,206"]
    assert _table(tables, "部门“三公”经费和机关运行经费预算表")[-1] == ["1", "", "1", "", "", "", "229"]


def test_a_table_and_a_column_format_override_the_profile(tmp_path):
    """Some tables print 6.4 and 0 where the profile prints 6.40 and 0.00; a column may print its zero as -."""
    folder = _budget_export(tmp_path)

    def change(data):
        table = _spec_table(data, "t08")
        table["number_format"] = {"decimals": "typed"}
        next(c for c in table["columns"] if c["id"] == "public")["number_format"] = {"zero": "-", "thousands": False}

    _edit_yaml(folder / "workbook_specs" / "budget-shanghai.yaml", change)
    tables = _tables(_generate(BUDGET_SAMPLE, folder, tmp_path / "out"))
    rows = _table(tables, "部门一般公共预算基本支出部门预算经济分类预算表")
    assert rows[2] == ["301", "工资福利支出", "22,109,516", "22,109,516", "-"]
    assert rows[-2] == ["31002", "办公设备购置", "90,000", "0", "90000"]
    assert rows[-1] == ["", "合计", "25,121,091", "22,826,756", "2294335"]
    # the other tables keep the profile's two decimals
    assert _table(tables, "部门支出预算总表")[2][2] == "22,186,440.80"


def _paragraphs(docx: Path) -> str:
    return "\n".join(_text(p) for p in _body(docx).iter(f"{W}p"))


def test_running_text_decimals_are_a_convention(tmp_path):
    folder = _export(tmp_path / "模板", "central")
    _edit_yaml(_profile_file(folder), lambda d: d["conventions"].update(text_decimals=0))
    docx = _generate(CENTRAL_SAMPLE, folder, tmp_path / "out")
    assert "2024年度收、支总计均为10,395万元。" in _paragraphs(docx)
    # tables keep the profile's number_format (two decimals)
    assert "10,394.91" in [c for rows in _tables(docx).values() for row in rows for c in row]


def test_a_wrong_number_format_is_named_in_chinese(tmp_path, capsys):
    folder = _budget_export(tmp_path)
    _edit_yaml(_profile_file(folder), lambda d: d["conventions"].update(number_format={"decimals": 9}))
    with pytest.raises(SystemExit) as stopped:
        main([str(BUDGET_SAMPLE), "--template", str(folder), "-o", str(tmp_path / "out")])
    assert stopped.value.code == 2
    output = capsys.readouterr().err
    assert "conventions.number_format.decimals 应为 0 至 6 的整数或 typed" in output
    assert "Traceback" not in output


def _central_with_spec(tmp_path: Path, change) -> Path:
    """Return the document generated from the sample with the exported central spec changed by change(data)."""
    folder = _export(tmp_path / "模板", "central")
    _edit_yaml(folder / "workbook_specs" / "standard.yaml", change)
    return _generate(CENTRAL_SAMPLE, folder, tmp_path / "out")


SPLIT_HEADER = [
    [{"text": "功能分类科目编码", "colspan": 3}, {"text": "科目名称", "rowspan": 2}, {"text": "本年支出", "colspan": 3}],
    ["类", "款", "项", "小计", "基本支出", "项目支出"],
    [{"text": "栏次", "colspan": 4}, "1", "2", "3"],
]


@pytest.mark.parametrize("parents, rows", [
    ("show", [["201", "", "", "一般公共服务支出"], ["201", "03", "", "政府办公厅（室）及相关机构事务"],
              ["201", "03", "01", "行政运行"]]),
    ("blank", [["201", "", "", "一般公共服务支出"], ["", "03", "", "政府办公厅（室）及相关机构事务"],
               ["", "", "01", "行政运行"]]),
], ids=["parents-shown", "parents-blank"])
def test_a_coded_table_prints_its_code_in_lei_kuan_xiang_columns(tmp_path, parents, rows):
    def change(data):
        _spec_table(data, "t05").update(code_columns="split", code_parents=parents, print_header=SPLIT_HEADER)

    printed = _table(_tables(_central_with_spec(tmp_path, change)), "一般公共预算财政拨款支出决算表")
    assert printed[1][:3] == ["类", "款", "项"]
    assert printed[3] == ["", "", "", "合计", "5,998.19", "1,207.46", "4,790.73"]
    assert [r[:4] for r in printed[4:7]] == rows
    assert printed[6][4:] == ["411.02", "411.02", ""]


def test_split_code_columns_need_the_printed_header(tmp_path, capsys):
    folder = _export(tmp_path / "模板", "central")
    _edit_yaml(folder / "workbook_specs" / "standard.yaml", lambda d: _spec_table(d, "t05").update(code_columns="split"))
    with pytest.raises(SystemExit) as stopped:
        main([str(CENTRAL_SAMPLE), "--template", str(folder), "-o", str(tmp_path / "out")])
    assert stopped.value.code == 2
    assert "code_columns" in capsys.readouterr().err


def test_year_in_a_header_cell_follows_the_workbook_after_init_from(tmp_path):
    folder = _budget_export(tmp_path)

    def change(data):
        table = _spec_table(data, "t09")
        table["header"][0][0]["text"] = "{year}年“三公”经费预算数"
        table["note"] = "注：{prior_year}年预算数见上年公开文本；单位：{unit}。"
        _spec_table(data, "t02")["heading"] = "表2 {kind}{title}（{dept}）"

    _edit_yaml(folder / "workbook_specs" / "budget-shanghai.yaml", change)
    result = CliRunner().invoke(cli, ["init", "--from", str(BUDGET_SAMPLE), "--profile", str(folder),
                                      "-o", str(tmp_path / "2026.xlsx")])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, [str(tmp_path / "2026.xlsx"), "--template", str(folder), "--force",
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code in (0, 1), result.output
    docx = next((tmp_path / "out").glob("*.docx"))
    tables = _tables(docx)
    assert _table(tables, "部门“三公”经费和机关运行经费预算表")[0][0] == "2026年“三公”经费预算数"
    text = _paragraphs(docx)
    assert "注：2025年预算数见上年公开文本；单位：万元。" in text
    assert "表2 部门收入预算总表（上海市普陀区财政局）" in text  # the table's own heading, not the profile's
    assert "2026年部门支出预算总表" in text  # the others keep conventions.table_heading


@pytest.mark.parametrize("empty_rows, grid", [
    ("total", [["", "合计", "", "", ""]]),
    (3, [["", "", "", "", ""]] * 3),
], ids=["total-row", "blank-lines"])
def test_an_empty_table_keeps_the_forms_grid(tmp_path, empty_rows, grid):
    folder = _budget_export(tmp_path)
    _edit_yaml(folder / "workbook_specs" / "budget-shanghai.yaml",
               lambda d: _spec_table(d, "t06").update(empty_rows=empty_rows))
    docx = _generate(BUDGET_SAMPLE, folder, tmp_path / "out")
    tables = _tables(docx)
    assert _table(tables, "部门政府性基金预算支出功能分类预算表")[2:] == grid
    assert _table(tables, "部门国有资本经营预算支出功能分类预算表")[2:] == []  # not asked: header only, as before
    assert "注：本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。" in _paragraphs(docx)


def test_class_lines_are_numbered_by_what_is_printed(tmp_path):
    folder = _budget_export(tmp_path)

    def change(data):
        for table_id in ("t01", "t04"):
            next(b for b in _spec_table(data, table_id)["blocks"] if b["id"] == "expense")["numbering"] = "{cn}、"

    _edit_yaml(folder / "workbook_specs" / "budget-shanghai.yaml", change)
    tables = _tables(_generate(BUDGET_SAMPLE, folder, tmp_path / "out"))
    printed = [row[2] for row in _table(tables, "部门财务收支预算总表")[2:] if row[2]]
    assert printed == ["一、一般公共服务支出", "二、社会保障和就业支出", "三、卫生健康支出", "四、住房保障支出", "支出总计"]
    assert [row[2] for row in _table(tables, "部门财政拨款收支预算总表")[2:4]] == [
        "一、一般公共服务支出", "二、社会保障和就业支出"]


def test_typed_numbers_are_replaced_when_lines_are_numbered(tmp_path):
    """The central spec types 一、…二十六、 into its labels; printing only the lines with amounts renumbers them."""
    def change(data):
        table = _spec_table(data, "t01")
        table["omit_blank_lines"] = True
        next(b for b in table["blocks"] if b["id"] == "expense")["numbering"] = "（{cn}）"

    rows = _table(_tables(_central_with_spec(tmp_path, change)), "收入支出决算总表")
    printed = [row[3] for row in rows[3:] if row[3]]
    assert printed[:7] == ["（一）一般公共服务支出", "（二）科学技术支出", "（三）社会保障和就业支出", "（四）卫生健康支出",
                           "（五）农林水支出", "（六）其他支出", "本年支出合计"], printed


BUDGET_TOC = [
    {"text": "一、部门主要职能", "level": 1, "at": "主要职能"},
    {"text": "二、{year}年部门预算编制说明", "level": 1, "at": "部门预算编制说明"},
    {"text": "三、部门预算公开表（九张）", "level": 1, "at": "没有这一标题"},  # a part without a body heading
    {"text": "1. 部门财务收支预算总表", "level": 2, "at": "部门财务收支预算总表"},
    {"text": "2. 部门收入预算总表", "level": 2},  # no `at`: the line's own text, found in no heading
    {"text": "3. 部门“三公”经费和机关运行经费预算表", "level": 2, "at": "“三公”经费和机关运行经费预算表"},
]


def _budget_with_toc(tmp_path: Path, *options: str) -> Path:
    folder = _budget_export(tmp_path)
    _edit_yaml(_profile_file(folder), lambda d: d["conventions"].update(toc=BUDGET_TOC))
    result = CliRunner().invoke(cli, [str(BUDGET_SAMPLE), "--template", str(folder), "-o", str(tmp_path / "out"),
                                      *options])
    assert result.exit_code == 0, result.output
    return next((tmp_path / "out").glob("*.docx"))


def _toc_lines(docx: Path) -> list[tuple[str, str, str]]:
    """Return (style, text, link anchor) of each 目录 line in the document's XML."""
    lines = []
    for p in _body(docx).iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val", "").upper().startswith("TOC"):
            link = p.find(f"{W}hyperlink")
            lines.append((style.get(f"{W}val"), _text(p), "" if link is None else link.get(f"{W}anchor")))
    return lines


def _bookmarked_heading(docx: Path, anchor: str) -> str:
    for p in _body(docx).iter(f"{W}p"):
        if any(b.get(f"{W}name") == anchor for b in p.iter(f"{W}bookmarkStart")):
            return _text(p)
    return ""


def test_the_toc_comes_from_the_profiles_list(tmp_path):
    docx = _budget_with_toc(tmp_path)
    lines = _toc_lines(docx)
    assert [text for _, text, _ in lines] == ["一、部门主要职能", "二、2025年部门预算编制说明", "三、部门预算公开表（九张）",
                                              "1. 部门财务收支预算总表", "2. 部门收入预算总表",
                                              "3. 部门“三公”经费和机关运行经费预算表"]
    levels = [style for style, _, _ in lines]
    assert levels[0] == levels[1] == levels[2] != levels[3] == levels[4] == levels[5]
    heads = [_bookmarked_heading(docx, anchor) for _, _, anchor in lines]
    assert heads[0] == "一、上海市普陀区财政局主要职能" and heads[1] == "四、2025年部门预算编制说明"
    # the part without a heading, and the line found nowhere, point where the next line does
    assert heads[2] == heads[3] == "2025年部门财务收支预算总表"
    assert heads[4] == heads[5] == "2025年部门“三公”经费和机关运行经费预算表"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice (soffice) or poppler-utils not installed")
def test_the_listed_toc_gets_page_numbers_and_renders(tmp_path):
    """LibreOffice pages the document; the listed 目录 takes each line's page from the heading it points to.
    The first pages are rendered to PNG (kept in the test's folder) for a person to look at."""
    docx = _budget_with_toc(tmp_path, "--pdf")
    lines = _toc_lines(docx)
    numbers = [int(_text_page(text)) for _, text, _ in lines]
    assert numbers == sorted(numbers) and numbers[0] >= 1, lines
    assert numbers[2] == numbers[3] and numbers[4] == numbers[5] > numbers[3]
    pdf = next((tmp_path / "out").glob("*.pdf"))
    toc_page = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
    assert "三、部门预算公开表（九张）" in toc_page and "六、其他相关情况说明" not in toc_page  # the PDF prints the list
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "3", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page*.png"))) == 3


def _text_page(text: str) -> str:
    digits = ""
    for ch in reversed(text):
        if not ch.isdigit():
            break
        digits = ch + digits
    assert digits, text
    return digits


@pytest.mark.parametrize("changes, value, printed", [
    ({}, "9501164.4", "9,501,164.40"),
    ({"decimals": 0}, "22186440.5", "22,186,441"),  # half-up, never banker's rounding
    ({"decimals": 0}, "0.4", "0"),
    ({"decimals": 1, "thousands": False}, "1234.56", "1234.6"),
    ({"decimals": "typed"}, "6.40", "6.4"),
    ({"decimals": "typed"}, "0.30000000000000004", "0.3"),  # a spreadsheet's binary noise
    ({"decimals": "typed"}, "100", "100"),
    ({}, "-0.001", "0.00"),
    ({"zero": "-"}, "0.004", "-"),
    ({"zero": ""}, "0", ""),
    ({"blank": "-"}, None, "-"),
    ({"zero": "-"}, None, ""),
], ids=lambda v: str(v))
def test_number_format(changes, value, printed):
    from decimal import Decimal

    from genreport.amounts import NumberFormat

    assert NumberFormat().updated(changes).format(None if value is None else Decimal(value)) == printed


def test_a_listed_toc_line_takes_the_page_of_the_heading_it_points_to(tmp_path):
    """Each listed line's page number is a PAGEREF field to the heading it links to, so offices fill it like any
    other line; fill_toc writes LibreOffice's pages in the lines' order."""
    from genreport.render.toc import fill_toc

    docx = _budget_with_toc(tmp_path)
    lines = _toc_lines(docx)
    codes = [" ".join(t.text for t in p.iter(f"{W}instrText")) for p in _body(docx).iter(f"{W}p")
             if any(style.get(f"{W}val", "").upper().startswith("TOC") for style in p.iter(f"{W}pStyle"))]
    assert [code.split("PAGEREF")[-1].split()[0] for code in codes] == [anchor for _, _, anchor in lines]
    assert fill_toc(docx, [[text, page] for (_, text, _), page in zip(lines, ["1", "7", "10", "10", "18", "18"])])
    assert [_text_page(text) for _, text, _ in _toc_lines(docx)] == ["1", "7", "10", "10", "18", "18"]


def test_the_narratives_item_numbering_is_a_convention(tmp_path):
    folder = _export(tmp_path / "模板", "central")
    _edit_yaml(_profile_file(folder), lambda d: d["conventions"].update(item_numbering="（{cn}）"))
    text = _paragraphs(_generate(CENTRAL_SAMPLE, folder, tmp_path / "out"))
    assert "（一）一般公共服务支出（类）" in text and "1. 一般公共服务支出（类）" not in text
