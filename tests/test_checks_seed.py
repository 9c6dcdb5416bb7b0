"""The seed sample passes with no error, its 尾差 reported as info; edits through real .xlsx files are found."""

from __future__ import annotations

from decimal import Decimal

from genreport.api import check_workbook

#: Every 尾差 of the seed (NOTES.md §2 and validation-identities §10): [sheet, cell, rule].
SEED_ROUNDING = [
    ["公开02表", "C8", "h-kuan"], ["公开02表", "D8", "h-kuan"],            # 20103: 411.02 + 506.13 + 571.26
    ["公开02表", "C23", "h-kuan"], ["公开02表", "D23", "h-kuan"],          # 21011: 15.66 + 26.04 + 39.67
    ["公开03表", "D6", "h-total"],                                          # 基本支出 1,207.46 vs Σ类 1,207.47
    ["公开03表", "C7", "t03-row"], ["公开03表", "C8", "t03-row"],           # 201/20103: 982.28 + 506.13
    ["公开03表", "C8", "h-kuan"], ["公开03表", "C23", "h-kuan"], ["公开03表", "D23", "h-kuan"],
    ["公开05表", "D7", "x-05-06-basic"],                                    # 1,207.46 vs 1,134.23 + 73.24
    ["公开05表", "D7", "h-total"],
    ["公开05表", "C8", "t05-row"], ["公开05表", "C9", "t05-row"],           # 201 row: 1,488.40 vs 1,488.41
    ["公开05表", "C9", "h-kuan"], ["公开05表", "C24", "h-kuan"], ["公开05表", "D24", "h-kuan"],
    ["公开06表", "C6", "h-econ"],                                           # 301: Σ款 1,085.65 vs 1,085.66
    ["公开06表", "F6", "h-econ"],                                           # 302: Σ款 73.23 vs 73.24
    ["公开06表", "C34", "t06-personnel"],                                   # 1,085.66 + 48.56 vs 1,134.23
    ["公开06表", "C34", "t06-total"],
]


def test_seed_has_no_error_and_no_warning(sample_path):
    _, report = check_workbook(sample_path)
    assert report.valid
    assert report.errors == [] and report.warnings == []


def test_seed_rounding_differences_are_info(sample_path):
    _, report = check_workbook(sample_path)
    assert {i.code for i in report.infos} == {"rounding-difference"}
    assert sorted(report.flatten(["sheet", "cell", "check"])) == sorted(SEED_ROUNDING)
    assert all("相差0.01万元，在四舍五入范围内，可能为取整误差" in i.message for i in report.infos)


def test_written_copy_of_the_seed_reports_the_same(make_workbook, sample_path):
    _, original = check_workbook(sample_path)
    _, copy = check_workbook(make_workbook())
    assert sorted(copy.flatten(["code", "sheet", "cell", "check"])) == sorted(
        original.flatten(["code", "sheet", "cell", "check"]))


def _t05_row(data, code):
    return next(r for r in data["tables"]["t05"]["rows"] if r["code"] == code)


def test_xlsx_edit_is_reported_at_its_cell(make_workbook):
    def edit(data):
        _t05_row(data, "201")["basic"] = Decimal("985.28")

    _, report = check_workbook(make_workbook(edit))
    errors = report.flatten(["code", "sheet", "cell"])
    assert ["h-lei", "公开05表", "D8"] in errors
    assert ["t05-row", "公开05表", "C8"] in errors
    issue = next(i for i in report.errors if i.code == "h-lei")
    assert issue.message == "201 一般公共服务支出 基本支出 985.28 ≠ 下级科目合计 982.28（差 3.00 万元）"


def test_xlsx_missing_kuan_row_is_h_parent(make_workbook):
    def edit(data):
        data["tables"]["t05"]["rows"] = [r for r in data["tables"]["t05"]["rows"] if r["code"] != "20103"]

    _, report = check_workbook(make_workbook(edit))
    parents = [f for f in report.flatten(["code", "sheet", "cell"]) if f[0] == "h-parent"]
    assert parents == [["h-parent", "公开05表", "A9"], ["h-parent", "公开05表", "A10"], ["h-parent", "公开05表", "A11"]]


def test_xlsx_same_code_different_names(make_workbook):
    def edit(data):
        for table in ("t02", "t03"):
            row = next(r for r in data["tables"][table]["rows"] if r["code"] == "2010350")
            row["code"] = "2010398"
            row["name"] = "试点支出" if table == "t02" else "试点业务支出"

    _, report = check_workbook(make_workbook(edit))
    found = report.flatten(["code", "sheet", "cell"])
    assert ["code-not-in-list", "公开02表", "A11"] in found
    assert ["code-name-inconsistent", "公开03表", "B11"] in found


def test_xlsx_blank_required_input_is_missing(make_workbook):
    def edit(data):
        data["forms"]["procurement"]["goods"] = None

    _, report = check_workbook(make_workbook(edit))
    assert report.flatten(["code", "sheet", "cell"]).count(["required-missing", "政府采购", "B4"]) == 1
    assert [i for i in report.issues if i.code == "proc-sum"] == []
