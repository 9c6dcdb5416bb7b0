"""Hostile sheet structure: renamed, missing, extra, reordered sheets; edited headers; merges; hidden and inserted rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from _hostile import check_json, edited_sample, issues_at, row_of

from genreport.api import check_workbook

T05_201 = row_of("公开05表", "201")
T05_2010301 = row_of("公开05表", "2010301")


def _amounts(path):
    """Return every amount of 公开05表 as {code: (total, basic, project)} for before/after comparisons."""
    workbook, _ = check_workbook(path)
    return {r.code: tuple(r.get(c).value for c in ("total", "basic", "project")) for r in workbook.tables["t05"].rows}


@pytest.fixture(scope="module")
def sample_amounts():
    from _hostile import SAMPLE

    return _amounts(SAMPLE)


def _check(tmp_path, edit):
    path = edited_sample(tmp_path, edit)
    result, issues = check_json(path)
    return path, result, issues


def _codes(issues, sheet=None):
    return sorted({i["code"] for i in issues if sheet is None or i["sheet"] == sheet})


# ---- sheets -----------------------------------------------------------------------


def test_renamed_sheet_suggests_the_closest_name(tmp_path):
    def edit(book):
        book["公开05表"].title = "公开5表"

    _, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    missing = issues_at(issues, "公开05表", "")["missing-sheet"]
    assert missing["message"] == "缺少工作表“公开05表”，工作表“公开5表”可能就是它，请把它改名为“公开05表”。"


def test_renamed_sheet_is_found_by_its_title_even_with_an_unrelated_name(tmp_path):
    def edit(book):
        book["公开05表"].title = "Sheet1"
        book["公开06表"].title = "一般公共预算支出"

    _, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    assert "“Sheet1”可能就是它" in issues_at(issues, "公开05表", "")["missing-sheet"]["message"]
    assert "“一般公共预算支出”可能就是它" in issues_at(issues, "公开06表", "")["missing-sheet"]["message"]


def test_deleted_sheet_never_suggests_another_standard_sheet(tmp_path):
    def edit(book):
        del book["公开09表"]

    _, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    message = issues_at(issues, "公开09表", "")["missing-sheet"]["message"]
    assert "公开08表" not in message and "genreport init 生成的空白工作簿中把这张表复制过来" in message


def test_sheet_name_with_spaces_and_full_width_digits_is_accepted(tmp_path, sample_amounts):
    def edit(book):
        book["公开05表"].title = " 公开０５表 "

    path, result, issues = _check(tmp_path, edit)
    assert result.code == 0, issues
    assert _amounts(path) == sample_amounts


def test_extra_sheets_are_ignored(tmp_path, sample_amounts):
    def edit(book):
        book.create_sheet("草稿", 0)["A1"] = "功能分类科目编码"
        book.create_sheet("公开10表")["C8"] = "abc"

    path, result, issues = _check(tmp_path, edit)
    assert result.code == 0 and not [i for i in issues if i["sheet"] in ("草稿", "公开10表")]
    assert _amounts(path) == sample_amounts


def test_sheets_in_another_order(tmp_path, sample_amounts):
    def edit(book):
        book._sheets.reverse()

    path, result, issues = _check(tmp_path, edit)
    assert result.code == 0, issues
    assert _amounts(path) == sample_amounts


def test_hidden_sheet_is_read(tmp_path, sample_amounts):
    def edit(book):
        book["公开05表"].sheet_state = "hidden"

    path, result, _ = _check(tmp_path, edit)
    assert result.code == 0 and _amounts(path) == sample_amounts


# ---- headers ----------------------------------------------------------------------


def test_edited_header_cell(tmp_path):
    def edit(book):
        book["公开05表"]["D5"] = "基本"

    _, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    issue = issues_at(issues, "公开05表", "D5")["header-mismatch"]
    assert issue["message"].startswith("表头应为“基本支出”，实际是“基本”")


def test_header_moved_down_by_inserted_rows(tmp_path, sample_amounts):
    def edit(book):
        book["公开05表"].insert_rows(2, 3)

    path, result, issues = _check(tmp_path, edit)
    assert result.code == 0, issues
    assert _amounts(path) == sample_amounts


def test_table_moved_right_by_an_inserted_column(tmp_path):
    def edit(book):
        book["公开05表"].insert_cols(1)

    _, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    issue = issues_at(issues, "公开05表", "B4")["header-shifted"]
    assert "应在 A 列" in issue["message"] and "删除表格左侧多出的 1 列" in issue["message"]


def test_deleted_header_rows(tmp_path):
    def edit(book):
        book["公开05表"].delete_rows(4, 3)

    _, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    assert "找不到表头“功能分类科目编码”" in issues_at(issues, "公开05表", "A1")["header-not-found"]["message"]


def test_list_sheet_moved_right_is_still_read_by_its_header_labels(tmp_path):
    def edit(book):
        book["年初预算"].insert_cols(1)

    path, result, issues = _check(tmp_path, edit)
    assert "年初预算" not in {i["sheet"] for i in issues if i["severity"] == "error"}
    workbook, _ = check_workbook(path)
    assert workbook.lists["budgets"][0]["code"].value == "2010301"


def test_list_column_deleted(tmp_path):
    def edit(book):
        book["年初预算"].delete_cols(4)

    _, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    assert any(i["code"] == "missing-column" and "年初预算数" in i["message"] for i in issues)


def test_renamed_form_label(tmp_path):
    def edit(book):
        book["封面概况"][f"A{row_of('封面概况', '部门名称')}"] = "单位名称"

    _, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    assert issues_at(issues, "封面概况", "")["missing-field"]["message"].startswith("找不到“部门名称”一行")


# ---- merged, hidden and inserted rows ---------------------------------------------


def test_merged_cells_over_data_are_reported_cell_by_cell(tmp_path):
    def edit(book):
        book["公开05表"].merge_cells(f"C{T05_201}:E{T05_201}")

    path, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    for col in "DE":
        issue = issues_at(issues, "公开05表", f"{col}{T05_201}")["merged-cell"]
        assert f"合并进了 C{T05_201}:E{T05_201}" in issue["message"] and "取消合并" in issue["message"]
    workbook, _ = check_workbook(path)
    assert workbook.tables["t05"].row("201").get("basic").value is None


def test_merged_form_value_cells(tmp_path):
    year = row_of("封面概况", "年度")

    def edit(book):
        book["封面概况"].merge_cells(f"B{year - 1}:B{year}")

    _, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    assert set(issues_at(issues, "封面概况", f"B{year}")) == {"merged-cell"}


def test_merged_label_cells_are_harmless(tmp_path, sample_amounts):
    def edit(book):
        ws = book["公开05表"]
        ws[f"B{T05_201}"] = None
        ws.merge_cells(f"A{T05_201}:B{T05_201}")  # a merged code+name cell, as some templates have

    path, result, issues = _check(tmp_path, edit)
    assert "merged-cell" not in _codes(issues)
    assert _amounts(path)["201"] == sample_amounts["201"]


def test_hidden_rows_and_columns_are_read_and_mentioned(tmp_path, sample_amounts):
    def edit(book):
        ws = book["公开05表"]
        ws.row_dimensions[T05_2010301].hidden = True
        ws.column_dimensions["D"].hidden = True

    path, result, issues = _check(tmp_path, edit)
    assert result.code == 0
    note = issues_at(issues, "公开05表", "")["hidden-cells"]
    assert note["severity"] == "info" and f"第{T05_2010301}行" in note["message"] and "D列" in note["message"]
    assert _amounts(path) == sample_amounts


def test_blank_rows_inserted_between_codes(tmp_path, sample_amounts):
    def edit(book):
        book["公开05表"].insert_rows(T05_2010301, 2)
        book["公开01表"].insert_rows(9, 1)
        book["公开06表"].insert_rows(8, 1)
        book["封面概况"].insert_rows(4, 1)

    path, result, issues = _check(tmp_path, edit)
    assert result.code == 0, [i for i in issues if i["severity"] == "error"]
    assert _amounts(path) == sample_amounts


def test_inserted_row_with_an_amount_but_no_code(tmp_path):
    def edit(book):
        ws = book["公开05表"]
        ws.insert_rows(T05_2010301, 1)
        ws[f"B{T05_2010301}"] = "补充说明"
        ws[f"C{T05_2010301}"] = 5

    _, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    assert "没有科目编码" in issues_at(issues, "公开05表", f"A{T05_2010301}")["row-without-code"]["message"]


def test_codes_typed_with_spaces_or_exported_as_decimal_text(tmp_path, sample_amounts):
    def edit(book):
        ws = book["公开05表"]
        ws[f"A{T05_2010301}"] = " 2010301.0 "
        ws[f"A{T05_201}"] = "２０１"

    path, result, issues = _check(tmp_path, edit)
    assert not [i for i in issues if i["sheet"] == "公开05表" and i["severity"] == "error"]
    assert _amounts(path) == sample_amounts


def test_duplicate_function_code(tmp_path):
    def edit(book):
        ws = book["公开05表"]
        ws.insert_rows(T05_2010301, 1)
        for col in "ABCDE":
            ws[f"{col}{T05_2010301}"] = ws[f"{col}{T05_2010301 + 1}"].value

    _, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    issue = issues_at(issues, "公开05表", f"A{T05_2010301 + 1}")["duplicate-code"]
    assert f"科目编码 2010301 重复出现（第{T05_2010301}行和第{T05_2010301 + 1}行）" in issue["message"]


def test_duplicate_economic_code(tmp_path):
    row = row_of("公开06表", "30101")

    def edit(book):
        ws = book["公开06表"]
        ws.insert_rows(row + 1, 1)
        ws[f"A{row + 1}"], ws[f"B{row + 1}"], ws[f"C{row + 1}"] = "30101", "基本工资", 1

    _, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    assert "科目编码 30101 重复出现" in issues_at(issues, "公开06表", f"A{row + 1}")["duplicate-code"]["message"]


def test_duplicate_fixed_line(tmp_path):
    def edit(book):
        ws = book["公开01表"]
        ws.insert_rows(9, 1)
        ws["A9"], ws["C9"] = "一、一般公共预算财政拨款收入", 1

    path, result, issues = _check(tmp_path, edit)
    assert result.code == 1
    assert "出现了两次" in issues_at(issues, "公开01表", "A9")["duplicate-line"]["message"]
    workbook, _ = check_workbook(path)
    assert workbook.tables["t01"].amount("general", "amount") != Decimal(1)


def test_force_never_generates_from_a_table_that_could_not_be_read(tmp_path):
    from _hostile import run_cli

    def edit(book):
        book["公开05表"].insert_cols(1)

    result = run_cli(edited_sample(tmp_path, edit), "-o", tmp_path / "out", "--force")
    assert result.code == 1 and "header-shifted" in result.out
    assert not (tmp_path / "out").exists()


def test_protected_sheets_and_workbook_structure_are_read(tmp_path, sample_amounts):
    from openpyxl.workbook.protection import WorkbookProtection

    def edit(book):
        book["公开05表"].protection.sheet = True
        book["公开05表"].protection.password = "123"
        book.security = WorkbookProtection(workbookPassword="123", lockStructure=True)

    path, result, _ = _check(tmp_path, edit)
    assert result.code == 0 and _amounts(path) == sample_amounts
