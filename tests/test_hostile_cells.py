"""Hostile cell values: text in number cells, out-of-range amounts, dates, formulas, and text that must print exactly."""

from __future__ import annotations

import datetime
from decimal import Decimal

import docx
import pytest
from _hostile import (SAMPLE, TRACEBACK, check_json, copy_sample, edited_sample, inline_text, issues_at, patch_cell,
                      row_of, run_cli)

from genreport.api import check_workbook

R201 = row_of("公开05表", "201")
R7 = row_of("公开05表", "2010301")  # 411.02 | 411.02 | blank
TOTAL = R201 - 1  # 合计 5998.19 | 1207.46 | 4790.73
DUTIES = f"B{row_of('封面概况', '部门职责')}"
YEAR = f"B{row_of('封面概况', '年度')}"
GROUPS = f"B{row_of('三公经费补充', '因公出国（境）团组数')}"
REASON = f"B{row_of('情况说明文字', '收支总计增减变化原因')}"


def _noticed(issues, sheet, ref):
    """Return the codes of warnings and errors at a cell (info-level 尾差 notes of the sample itself ignored)."""
    return {code for code, issue in issues_at(issues, sheet, ref).items() if issue["severity"] != "info"}


def _set(tmp_path, sheet, ref, value):
    def edit(book):
        book[sheet][ref] = value

    return edited_sample(tmp_path, edit)


def _t05(path, code, column):
    workbook, _ = check_workbook(path)
    return workbook.tables["t05"].row(code).get(column).value


# ---- numbers typed as text: accepted exactly when unambiguous ------------------------


@pytest.mark.parametrize("ref, text, code, column, expected", [
    (f"C{R201}", "１４８８.４０", "201", "total", "1488.40"),
    (f"C{TOTAL}", "5,998.19", None, None, None),
    (f"D{R201}", "  982.28  ", "201", "basic", "982.28"),
    (f"D{R201}", "\u00a0982.28\u3000", "201", "basic", "982.28"),
    (f"E{R7}", "—", "2010301", "project", None),
    (f"E{R7}", "-", "2010301", "project", None),
], ids=["full-width", "thousands-separator", "spaces", "nbsp-ideographic-space", "em-dash-blank", "hyphen-blank"])
def test_number_typed_as_text_is_read_exactly(tmp_path, ref, text, code, column, expected):
    path = _set(tmp_path, "公开05表", ref, text)
    result, issues = check_json(path)
    assert result.code == 0, [i for i in issues if i["severity"] == "error"]
    assert not _noticed(issues, "公开05表", ref)
    if code:
        assert _t05(path, code, column) == (Decimal(expected) if expected else None)


@pytest.mark.parametrize("text", ["abc", "1.2.3", "12a", "1 2,3.4.5", "￥100", "100元", "NaN", "inf"])
def test_text_that_is_not_a_number(tmp_path, text):
    result, issues = check_json(_set(tmp_path, "公开05表", f"C{R201}", text))
    assert result.code == 1
    issue = issues_at(issues, "公开05表", f"C{R201}")["not-a-number"]
    assert f"应填金额，但填的是“{text}”" in issue["message"] and "请填写数字（单位万元）" in issue["message"]


@pytest.mark.parametrize("value, fragment", [
    (datetime.datetime(2024, 1, 31), "日期或时间“2024-01-31”"),
    (datetime.time(8, 30), "日期或时间“08:30:00”"),
    (True, "逻辑值“TRUE”"),
    (False, "逻辑值“FALSE”"),
], ids=["date", "time", "true", "false"])
def test_dates_and_booleans_in_amount_cells(tmp_path, value, fragment):
    path = _set(tmp_path, "公开05表", f"C{R201}", value)
    result, issues = check_json(path)
    assert result.code == 1
    assert fragment in issues_at(issues, "公开05表", f"C{R201}")["not-a-number"]["message"]
    assert _t05(path, "201", "total") is None


@pytest.mark.parametrize("value", [1e12, "1e12", "1e400", "1e999999999", "-1e15"])
def test_amounts_out_of_plausible_range(tmp_path, value):
    path = _set(tmp_path, "公开05表", f"C{R201}", value)
    result, issues = check_json(path)
    assert result.code == 1
    issue = issues_at(issues, "公开05表", f"C{R201}")["amount-out-of-range"]
    assert "超出合理范围" in issue["message"] and "请确认单位是万元而不是元" in issue["message"]
    assert len(issue["message"]) < 200
    assert _t05(path, "201", "total") is None


def test_more_than_two_decimals_rounds_half_up_with_a_warning(tmp_path):
    path = _set(tmp_path, "公开05表", f"C{R201}", "1488.395")
    result, issues = check_json(path)
    issue = issues_at(issues, "公开05表", f"C{R201}")["too-many-decimals"]
    assert issue["severity"] == "warning" and "已按四舍五入取 1,488.40 万元" in issue["message"]
    assert result.code == 0
    assert _t05(path, "201", "total") == Decimal("1488.40")


def test_float_noise_from_a_spreadsheet_engine_is_not_a_decimal_warning(tmp_path):
    path = _set(tmp_path, "公开05表", f"C{R201}", 1488.3999999999999)
    result, issues = check_json(path)
    assert result.code == 0 and not _noticed(issues, "公开05表", f"C{R201}")


def test_negative_amount_is_a_warning_naming_the_cell(tmp_path):
    path = _set(tmp_path, "政府采购", f"B{row_of('政府采购', '政府采购工程支出')}", -5)
    result, issues = check_json(path)
    issue = issues_at(issues, "政府采购", f"B{row_of('政府采购', '政府采购工程支出')}")["negative-amount"]
    assert issue["severity"] == "warning" and "为负数（-5.00），请确认" in issue["message"]
    assert result.code == (0 if all(i["severity"] != "error" for i in issues) else 1)


@pytest.mark.parametrize("value", [-1, 2.5, 1e300, "三", "1e999999999"])
def test_counts_must_be_non_negative_integers(tmp_path, value):
    result, issues = check_json(_set(tmp_path, "三公经费补充", GROUPS, value))
    assert result.code == 1
    found = issues_at(issues, "三公经费补充", GROUPS)
    assert set(found) == {"not-an-integer"}, "a rejected value must not also be reported as 未填写"
    assert "应填非负整数" in found["not-an-integer"]["message"]


@pytest.mark.parametrize("value", ["二〇二四", 24, datetime.datetime(2024, 1, 1)])
def test_year_must_be_four_digits(tmp_path, value):
    result, issues = check_json(_set(tmp_path, "封面概况", YEAR, value))
    assert result.code == 1
    assert set(issues_at(issues, "封面概况", YEAR)) == {"not-an-integer"}


# ---- formulas -----------------------------------------------------------------------


def test_formula_with_cached_value_uses_the_cached_value(tmp_path):
    # D+E would give 1488.41; the cached 1488.4 (what Excel shows) must be used, not recomputed.
    cell = f'<c r="C{R201}"><f>D{R201}+E{R201}</f><v>1488.4</v></c>'
    path = patch_cell(SAMPLE, tmp_path / "公式.xlsx", "公开05表", f"C{R201}", cell)
    result, issues = check_json(path)
    assert result.code == 0 and not _noticed(issues, "公开05表", f"C{R201}")
    assert _t05(path, "201", "total") == Decimal("1488.40")


@pytest.mark.parametrize("formula", [f'<f>D{R201}+E{R201}</f>', f'<f t="array" ref="C{R201}">SUM(D{R201}:E{R201})</f>'],
                         ids=["plain", "array"])
def test_formula_without_cached_value_is_never_zero(tmp_path, formula):
    path = patch_cell(SAMPLE, tmp_path / "公式.xlsx", "公开05表", f"C{R201}", f'<c r="C{R201}">{formula}</c>')
    result, issues = check_json(path)
    assert result.code == 1
    issue = issues_at(issues, "公开05表", f"C{R201}")["formula-without-value"]
    assert "没有保存计算结果" in issue["message"] and "请用 Excel 或 WPS 打开后保存一次再试" in issue["message"]
    assert issue["message"].count("。") == 1
    assert _t05(path, "201", "total") is None


def test_openpyxl_saved_formulas_are_explained_not_zeroed(tmp_path):
    path = _set(tmp_path, "公开05表", f"C{R201}", f"=SUM(D{R201}:E{R201})")
    result, issues = check_json(path)
    assert result.code == 1
    assert "“=SUM(D" in issues_at(issues, "公开05表", f"C{R201}")["formula-without-value"]["message"]


def test_cached_excel_error_value(tmp_path):
    cell = f'<c r="C{R201}" t="e"><f>D{R201}/0</f><v>#DIV/0!</v></c>'
    path = patch_cell(SAMPLE, tmp_path / "错误值.xlsx", "公开05表", f"C{R201}", cell)
    result, issues = check_json(path)
    assert result.code == 1
    assert "公式错误值“#DIV/0!”" in issues_at(issues, "公开05表", f"C{R201}")["not-a-number"]["message"]


# ---- text printed exactly -----------------------------------------------------------

NASTY = 'A&B <公司> "双引号" \'单引号\' {{ 7*7 }} {% if true %}X{% endif %} {#注释#} 😀𠀀 \\n'


def _document_text(path):
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return [p.text for p in document.paragraphs], cells


def test_special_characters_print_exactly_in_the_document(tmp_path):
    def edit(book):
        book["封面概况"][DUTIES] = NASTY + "\n第二段 <b>粗体</b>"
        book["情况说明文字"][REASON] = "A&B<c>{{ 1+1 }}😀"

    out = tmp_path / "out.docx"
    result = run_cli(edited_sample(tmp_path, edit), "-o", out)
    assert result.code == 0, result.text
    paragraphs, _ = _document_text(out)
    assert NASTY in paragraphs and "第二段 <b>粗体</b>" in paragraphs
    assert any("主要原因是A&B<c>{{ 1+1 }}😀。" in p for p in paragraphs)
    assert not any("49" == p or "{{ 2 }}" in p for p in paragraphs)


def test_department_name_with_path_characters(tmp_path):
    name = '测试/部门<A&B>"..\\'

    def edit(book):
        book["封面概况"][f"B{row_of('封面概况', '部门名称')}"] = name

    result = run_cli(edited_sample(tmp_path, edit), "-o", tmp_path / "out")
    assert result.code == 0, result.text
    written = list((tmp_path / "out").iterdir())
    assert len(written) == 1 and written[0].suffix == ".docx"
    paragraphs, cells = _document_text(written[0])
    assert any(name in text for text in paragraphs + cells)


def test_control_characters_are_stripped_and_the_cell_named(tmp_path):
    escaped = "（一）甲_x0001_乙_x000B_丙_xD83D_丁_x0007_戊_x000D__x000A_（二）己_x0041_"
    path = patch_cell(SAMPLE, tmp_path / "控制符.xlsx", "封面概况", DUTIES, inline_text(DUTIES, escaped))
    result, issues = check_json(path)
    issue = issues_at(issues, "封面概况", DUTIES)["control-characters"]
    assert issue["severity"] == "warning" and "4 个不可见的控制字符" in issue["message"]
    workbook, _ = check_workbook(path)
    assert workbook.value("profile", "duties") == ["（一）甲乙丙丁戊", "（二）己_x0041_"]
    out = tmp_path / "out.docx"
    assert run_cli(path, "-o", out).code == 0
    assert "（一）甲乙丙丁戊" in _document_text(out)[0]


def test_hundred_kilobyte_text(tmp_path):
    long_text = "（一）" + "为人民服务，" * 6_000  # 108 KB; longer than Excel's 32,767 characters, as other tools write
    assert len(long_text.encode("utf-8")) > 100_000
    path = patch_cell(SAMPLE, tmp_path / "长文本.xlsx", "封面概况", DUTIES, inline_text(DUTIES, long_text))
    out = tmp_path / "out.docx"
    result = run_cli(path, "-o", out)
    assert result.code == 0 and TRACEBACK not in result.text
    assert long_text in _document_text(out)[0]


def test_long_bad_value_is_shortened_in_messages(tmp_path):
    result, issues = check_json(_set(tmp_path, "公开05表", f"C{R201}", "x" * 50_000))
    assert result.code == 1
    message = issues_at(issues, "公开05表", f"C{R201}")["not-a-number"]["message"]
    assert len(message) < 200 and "…" in message


def test_input_workbook_is_never_modified(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_bytes(), path.stat().st_mtime_ns
    assert run_cli(path, "-o", tmp_path / "out").code == 0
    assert run_cli("check", path, "--annotate").code == 0
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# ---- plausibility: markers in amounts, figures in the wrong unit --------------------------------


@pytest.mark.parametrize("text", ["818²", "818¹", "1,488.40①", "½", "12₃"])
def test_superscript_or_marker_in_an_amount_is_an_error_at_the_cell(tmp_path, text):
    result, issues = check_json(_set(tmp_path, "公开05表", f"C{R201}", text))
    assert result.code == 1
    issue = issues_at(issues, "公开05表", f"C{R201}")["not-a-number"]
    assert issue["severity"] == "error" and "上标或注释符号" in issue["message"]
    assert _t05(tmp_path / "edited.xlsx", "201", "total") is None


def test_full_width_digits_are_still_accepted(tmp_path):
    path = _set(tmp_path, "公开05表", f"C{R201}", "１４８８.４０")
    assert _t05(path, "201", "total") == Decimal("1488.40")


def _prior_row(label):
    return f"B{row_of('上年数', label)}"


def test_prior_year_figure_typed_in_yuan_draws_a_warning_naming_both_cells(tmp_path):
    ref = _prior_row("上年收支总计")
    path = _set(tmp_path, "上年数", ref, 68_036_005.09)
    result, issues = check_json(path)
    found = issues_at(issues, "上年数", ref)["magnitude-mismatch"]
    assert found["severity"] == "warning"
    assert "68,036,005.09 万元" in found["message"] and "公开01表!" in found["message"]
    assert "可能按元填写" in found["message"] and "万元" in found["message"]


def test_budget_figure_typed_in_yuan_draws_a_warning(tmp_path):
    workbook, _ = check_workbook(SAMPLE)
    actual, budget = (workbook.tables["t09"].cell("row", column) for column in ("actual_total", "budget_total"))
    if not actual.value:
        pytest.skip("the sample has no “三公” spending")
    path = _set(tmp_path, budget.sheet, budget.cell, float(budget.value) * 10_000)  # 2.60 万元 typed as 26,000 元
    _, issues = check_json(path)
    found = issues_at(issues, budget.sheet, budget.cell)["magnitude-mismatch"]
    assert f"{actual.sheet}!{actual.cell}" in found["message"] and "可能按元填写" in found["message"]


def test_figure_a_thousand_times_smaller_draws_a_warning(tmp_path):
    ref = _prior_row("上年收支总计")
    workbook, _ = check_workbook(SAMPLE)
    this = workbook.tables["t01"].cell("income_total", "amount").value
    _, issues = check_json(_set(tmp_path, "上年数", ref, float(this) / 2000))
    assert "分之一" in issues_at(issues, "上年数", ref)["magnitude-mismatch"]["message"]


def test_the_sample_draws_no_magnitude_warning():
    _, issues = check_json(SAMPLE)
    assert not [i for i in issues if i["code"] == "magnitude-mismatch"]


# ---- cells genreport writes from user text: never a formula --------------------------------


@pytest.mark.parametrize("text", ["+1+2", "@SUM(A1)", "-2+3", "=cmd|' /C calc'!A0"])
def test_init_from_last_year_keeps_formula_like_text_as_text(tmp_path, text):
    import openpyxl

    def edit(book):
        cell = book["封面概况"][DUTIES]
        cell.value = text
        cell.data_type = "s"

    last = edited_sample(tmp_path, edit, name="上年.xlsx")
    new = tmp_path / "本年.xlsx"
    assert run_cli("init", "--from", last, "-o", new).code == 0
    cell = openpyxl.load_workbook(new)["封面概况"][DUTIES]
    assert cell.value == text and cell.data_type == "s" and cell.quotePrefix


# ---- the annotated copy checks exactly like its original -------------------------------------


def test_annotated_copy_keeps_formulas_and_their_results(tmp_path):
    import openpyxl

    cells = {f"C{R201}": f'<c r="C{R201}"><f>D{R201}+E{R201}</f><v>1488.4</v></c>',
             f"C{TOTAL}": f'<c r="C{TOTAL}"><f>SUM(C{R201}:C{R201 + 40})</f><v>5998.19</v></c>',
             f"E{R7}": f'<c r="E{R7}" t="e"><f>D{R7}/0</f><v>#DIV/0!</v></c>'}
    path = SAMPLE
    for index, (ref, xml) in enumerate(cells.items()):
        path = patch_cell(path, tmp_path / f"公式{index}.xlsx", "公开05表", ref, xml)
    copy = tmp_path / "公式.标注.xlsx"
    assert run_cli("check", path, "--annotate", copy).code == 1
    formulas = openpyxl.load_workbook(copy)["公开05表"]
    assert formulas[f"C{R201}"].value == f"=D{R201}+E{R201}"
    values = openpyxl.load_workbook(copy, data_only=True)["公开05表"]
    assert values[f"C{R201}"].value == 1488.4 and values[f"E{R7}"].value == "#DIV/0!"

    def found(workbook):
        return sorted((i["code"], i["sheet"], i["cell"]) for i in check_json(workbook)[1])

    assert found(copy) == found(path)


def test_annotated_copy_keeps_text_with_xml_characters_exactly(tmp_path):
    """A typed & < > " and Excel's escape of a control character (a vertical tab pasted from Word) come back as
    typed: in a text cell, in a formula's saved text result and in the finding's comment."""
    import openpyxl

    typed = 'A&B<C>"D"_x000B_E'  # what openpyxl reads where Excel saved A&B<C>"D", a vertical tab, E
    saved = 'A&amp;B&lt;C&gt;"D"_x000B_E'
    path = patch_cell(SAMPLE, tmp_path / "文字.xlsx", "公开05表", f"C{R201}", inline_text(f"C{R201}", saved))
    path = patch_cell(path, tmp_path / "公式.xlsx", "公开05表", f"B{R201}",
                      f'<c r="B{R201}" t="str"><f>"A&amp;"&amp;"B"</f><v>{saved}</v></c>')
    copy = tmp_path / "公式.标注.xlsx"
    assert run_cli("check", path, "--annotate", copy).code == 1
    annotated = openpyxl.load_workbook(copy, data_only=True)["公开05表"]
    assert annotated[f"C{R201}"].value == annotated[f"B{R201}"].value == typed
    assert openpyxl.load_workbook(copy)["公开05表"][f"B{R201}"].value == '="A&"&"B"'
    message = issues_at(check_json(path)[1], "公开05表", f"C{R201}")["not-a-number"]["message"]
    assert 'A&B<C>"D"' in message
    assert annotated[f"C{R201}"].comment.text.splitlines() == [f"【错误】{message}（not-a-number）"]


def test_a_control_character_in_a_finding_shows_escaped_in_its_comment(tmp_path):
    """XML cannot hold most control characters: the comment shows them as genreport check prints them (\\x0b)."""
    import openpyxl

    from genreport.address import Address
    from genreport.catalogue import bundled_catalogue
    from genreport.excel import annotate_workbook

    issue = bundled_catalogue().issue("bad-choice", Address.parse("封面概况", "B3"), label='甲\x0b乙&<"丙"',
                                      options="“是”“否”", actual="也许")
    assert annotate_workbook(SAMPLE, tmp_path / "标注.xlsx", [issue]) == ["封面概况!B3"]
    comment = openpyxl.load_workbook(tmp_path / "标注.xlsx")["封面概况"]["B3"].comment.text
    assert comment == "【错误】“甲\\x0b乙&<\"丙\"”只能填写“是”“否”之一，实际是“也许”。（bad-choice）"
