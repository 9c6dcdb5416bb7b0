"""genreport merge: the seed sample split into three units and merged back; budgets; refusals; the trace."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from genreport.api import check_workbook, generate_report, merge_workbooks
from genreport.commands import main
from genreport.errors import GenreportError
from genreport.excel import read_workbook

from merge_support import cell_at, find_label, form_cell, main_workbook, unit_workbook

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "xinxiang-2024" / "workbook.xlsx"
BUDGET = ROOT / "samples" / "putuo-2025-budget" / "workbook.xlsx"
MAIN_NAME = "新乡市行政审批和政务信息管理局本级"


def _cover(name: str) -> dict:
    return {"部门名称": name, "年度": 2024, "编制日期": "二〇二五年九月", "决算类型": "单位",
            "部门职责": f"{name}的职责。", "机构设置": f"{name}内设综合科。", "决算单位构成": f"{name}。"}


def _general_unit(name: str, amount: str, codes: list[tuple[str, str]], expense_line: str, kind: str,
                  t06: list[tuple] = (), agency: str = "0.00", prior: str = "0.00") -> dict:
    """A unit spending amount of 一般公共预算财政拨款 (kind: 基本支出 or 项目支出) on one 项 (codes: 类, 款, 项)."""
    both = [("合计", None), *codes]
    return {
        "rows": {sheet: codes for sheet in ("公开02表", "公开03表", "公开05表")},
        "cells": {
            "公开01表": [("一、一般公共预算财政拨款收入", "决算数", amount), ("本年收入合计", "决算数", amount),
                       ("总计", "决算数", amount, 1), (expense_line, "决算数", amount),
                       ("本年支出合计", "决算数", amount), ("总计", "决算数", amount, 2)],
            "公开02表": [(c, h, amount) for c, _ in both for h in ("本年收入合计", "财政拨款收入")],
            "公开03表": [(c, h, amount) for c, _ in both for h in ("本年支出合计", kind)],
            "公开04表": [("一、一般公共预算财政拨款", "金额", amount), ("本年收入合计", "金额", amount),
                       ("总计", "金额", amount, 1),
                       *[(line, h, amount, nth) for line, nth in ((expense_line, 1), ("本年支出合计", 1), ("总计", 2))
                         for h in ("合计", "一般公共预算财政拨款")]],
            "公开05表": [(c, h, amount) for c, _ in both for h in ("小计", kind)],
            "公开06表": list(t06),
        },
        "forms": {
            "封面概况": _cover(name),
            "上年数": {"上年收支总计": D(prior), "上年财政拨款收支总计": D(prior),
                    "上年一般公共预算财政拨款支出": D(prior), "上年机关运行经费支出": D("0.00")},
            "机关运行经费": {"本年机关运行经费支出": D(agency)},
            "政府采购": {label: D("0.00") for label in ("政府采购支出总额", "政府采购货物支出", "政府采购工程支出",
                                                    "政府采购服务支出", "授予中小企业合同金额", "其中授予小微企业合同金额")},
            "国有资产": {label: 0 for label in ("车辆总数", "省级领导干部用车", "主要领导干部用车", "机要通信用车",
                                             "应急保障车", "执法执勤用车", "特种专业技术用车", "离退休干部用车", "其他用车",
                                             "单位价值100万元（含）以上设备")},
        },
        "lists": {"年初预算": [{"预算类型": "一般公共预算", "科目编码": codes[-1][0], "科目名称": codes[-1][1],
                               "年初预算数": D(amount)}]},
        "list_keys": {"年初预算": ("科目编码", "年初预算数")},
    }


#: A 事业单位: 70.00 万元 of 基本支出 on 2010350 事业运行 (人员 60.00, 公用 10.00, all 机关运行经费).
DATA_CENTRE = _general_unit(
    "新乡市政务大数据中心", "70.00", [("201", "一般公共服务支出"), ("20103", "政府办公厅（室）及相关机构事务"),
                              ("2010350", "事业运行")], "一、一般公共服务支出", "基本支出",
    t06=[("301", "决算数", "60.00"), ("30101", "决算数", "60.00"), ("302", "决算数", "10.00"),
         ("30239", "决算数", "10.00"), ("人员经费合计", "决算数", "60.00"), ("公用经费合计", "决算数", "10.00", 1, 2)],
    agency="10.00", prior="60.00")
#: A unit with 50.00 万元 of 项目支出 on 2069999 其他科学技术支出.
SUPERVISION = _general_unit(
    "新乡市数字治理与监管服务中心", "50.00", [("206", "科学技术支出"), ("20699", "其他科学技术支出"),
                                  ("2069999", "其他科学技术支出")], "六、科学技术支出", "项目支出", prior="40.00")


@pytest.fixture(scope="module")
def units(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("units")
    others = [unit_workbook(folder / "数据中心.xlsx", DATA_CENTRE), unit_workbook(folder / "监管中心.xlsx", SUPERVISION)]
    main = main_workbook(SEED, folder / "本级.xlsx", [DATA_CENTRE, SUPERVISION],
                         {"部门名称": MAIN_NAME, "决算类型": "部门"})
    return [main, *others]


@pytest.fixture(scope="module")
def merged(units: list[Path], tmp_path_factory: pytest.TempPathFactory):
    target = tmp_path_factory.mktemp("dept") / "部门.xlsx"
    return merge_workbooks(list(reversed(units)), target, name="新乡市行政审批和政务信息管理局")


def test_every_unit_passes_check(units: list[Path]) -> None:
    for path in units:
        _, report = check_workbook(path)
        assert report.errors == [], (path.name, [i.message for i in report.errors])


def test_merged_tables_equal_the_seed_cell_for_cell(merged) -> None:
    seed, _ = check_workbook(SEED)
    dept, _ = check_workbook(merged.output)
    for table_id, table in seed.tables.items():
        got = dept.tables[table_id]
        assert _values(got.lines) == _values(table.lines), table_id
        assert [(r.code, r.name, _values(r.cells)) for r in got.rows] == \
               [(r.code, r.name, _values(r.cells)) for r in table.rows], table_id


def _values(cells: dict) -> dict:
    return {k: _values(v) if isinstance(v, dict) else v.value for k, v in cells.items()}


def test_merged_workbook_passes_check_generates_and_lists_the_units(merged, tmp_path: Path) -> None:
    assert merged.exit_code == 0
    order = [MAIN_NAME, "新乡市数字治理与监管服务中心", "新乡市政务大数据中心"]  # the 本级 first, then input order
    assert [name for _, name, _ in merged.units] == order
    dept, report = check_workbook(merged.output)
    assert report.errors == [], [i.message for i in report.errors]
    assert dept.value("profile", "units") == order
    assert dept.value("profile", "kind") == "部门"
    assert dept.dept_name == "新乡市行政审批和政务信息管理局"
    assert dept.value("profile", "duties") == check_workbook(SEED)[0].value("profile", "duties")  # texts: the 本级's
    made = generate_report(merged.output, tmp_path)
    assert made.output is not None and made.output.exists()


def test_amounts_add_up_and_department_reasons_are_left_to_fill(merged) -> None:
    dept, report = check_workbook(merged.output)
    seed, _ = check_workbook(SEED)
    for field in ("total", "fiscal_total", "general_expense", "agency_cost"):
        assert dept.value("prior", field) == seed.value("prior", field)
    assert dept.value("other", "agency_cost") == D("73.24")
    assert dept.value("reasons", "total_change") is None
    budgets = {(r["fund"].value, r["code"].value): r for r in dept.lists["budgets"]}
    assert budgets["一般公共预算", "2010350"]["budget"].value == D("517.97")
    assert budgets["一般公共预算", "2010350"]["reason"].value is None
    book = openpyxl.load_workbook(merged.output)
    assert "由部门填写" in form_cell(book["情况说明文字"], "收支总计增减变化原因").comment.text
    assert book["年初预算"].cell(2, 8).value == "所属单位"


def test_the_trace_names_each_units_share_of_a_cell(merged) -> None:
    book = openpyxl.load_workbook(merged.output)
    target = cell_at(book["公开05表"], "2010350", "基本支出")
    trace = book["汇总来源"]
    header = [c.value for c in trace[1]]
    row = next(r for r in trace.iter_rows(min_row=2, values_only=True) if r[:2] == ("公开05表", target.coordinate))
    shares = dict(zip(header, row))
    assert "2010350 事业运行" in shares["项目"]
    assert D(str(shares["汇总数"])) == D("571.26") == D(str(target.value))
    assert D(str(shares[MAIN_NAME])) == D("501.26")
    assert D(str(shares["新乡市政务大数据中心"])) == D("70.00")
    assert shares["新乡市数字治理与监管服务中心"] is None  # blank in that unit, not 0


def test_blank_in_every_unit_stays_blank_and_a_zero_prints(merged) -> None:
    dept, _ = check_workbook(merged.output)
    assert dept.tables["t01"].cell("superior", "amount").value is None
    assert dept.tables["t09"].cell("row", "actual_abroad").value == D("0.00")


def test_cli_prints_the_per_unit_totals(units: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["merge", *map(str, units), "-o", str(tmp_path / "部门.xlsx")])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "本年支出合计" in out and "10,394.91" in out and "70.00" in out
    assert "新乡市政务大数据中心" in out and "汇总来源" in out


def test_a_unit_with_errors_stops_the_merge_with_its_findings(units: list[Path], tmp_path: Path,
                                                              capsys: pytest.CaptureFixture) -> None:
    broken = tmp_path / "坏.xlsx"
    book = openpyxl.load_workbook(units[1])
    cell_at(book["公开01表"], "本年收入合计", "决算数").value = D("71.00")
    book.save(broken)
    with pytest.raises(SystemExit) as exit_:
        main(["merge", str(units[0]), str(broken), "-o", str(tmp_path / "部门.xlsx")])
    out = capsys.readouterr().out
    assert exit_.value.code == 1
    assert "公开01表" in out and "未汇总" in out
    assert not (tmp_path / "部门.xlsx").exists()
    forced = merge_workbooks([units[0], broken], tmp_path / "强制.xlsx", force=True)
    assert forced.output is not None


def test_two_budget_workbooks_merge(tmp_path: Path) -> None:
    other = tmp_path / "所属单位.xlsx"
    book = openpyxl.load_workbook(BUDGET)
    form_cell(book["封面概况"], "预算主管部门").value = "上海市普陀区财政局所属事务中心"
    form_cell(book["封面概况"], "预算类型").value = "单位"
    unit_list = book["预算单位构成"]  # the unit's own line in its 预算单位构成
    cell_at(unit_list, "财政局本部", "单位类型").value = "事业单位"
    row, col = find_label(unit_list, "财政局本部")
    unit_list.cell(row, col).value = "财政局所属事务中心"
    book.save(other)
    result = merge_workbooks([BUDGET, other], tmp_path / "部门.xlsx")
    assert result.exit_code == 0
    dept, report = check_workbook(result.output)
    assert report.errors == [], [i.message for i in report.errors]
    one, _ = check_workbook(BUDGET)
    assert dept.tables["t01"].cell("income_total", "amount").value == \
        2 * one.tables["t01"].cell("income_total", "amount").value
    assert [(r["name"].value, r["type"].value) for r in dept.lists["unit_list"]] == \
        [("财政局本部", "行政单位"), ("财政局所属事务中心", "事业单位")]
    overview = one.value("project_info", "overview")
    assert dept.value("project_info", "overview") == overview + overview  # the units' paragraphs in turn
    assert generate_report(result.output, tmp_path).output is not None


def test_two_shanghai_district_workbooks_merge(tmp_path: Path) -> None:
    from shanghai_support import shanghai_data

    from genreport.excel import write_workbook
    from genreport.spec import load_spec

    spec = load_spec("shanghai")
    main_book = write_workbook(tmp_path / "本级.xlsx", spec, shanghai_data())
    other = shanghai_data()
    other["forms"]["profile"].update(dept_name="上海市示例区示例事务中心", kind="单位")
    other["lists"]["unit_list"] = [{"name": "上海市示例区示例事务中心", "note": "事业单位"}]
    unit = write_workbook(tmp_path / "事务中心.xlsx", spec, other)
    result = merge_workbooks([unit, main_book], tmp_path / "部门.xlsx")
    dept, report = check_workbook(result.output)
    assert report.errors == [], [i.message for i in report.errors]
    assert dept.tables["t05"].row("2010301").get("total").value == D("1000.00")
    assert dept.value("sangong", "abroad_people") == 12 and dept.value("performance", "mean_score") == D("92.50")
    assert [r["name"].value for r in dept.lists["unit_list"]] == [  # listed by the 本级 and by itself: once
        "上海市示例区示例局（本级）", "上海市示例区示例事务中心"]
    assert dept.value("profile", "units") is None  # the text before the table is the department's to write


def test_internal_flows_are_listed_per_unit() -> None:
    import copy

    from checks_support import seed_model, set_cell

    from genreport.merge import Unit, merge_units

    main_book, unit = seed_model(), copy.deepcopy(seed_model())
    set_cell(unit, "t01", "superior", "amount", "12.00")
    set_cell(unit, "t03", "total", "subsidy", "3.50")
    merged = merge_units([Unit(main_book, "本级", True), Unit(unit, "下属单位")], main_book.spec)
    assert merged.flows == [("下属单位", "公开01表 四、上级补助收入", D("12.00")),
                            ("下属单位", "公开03表 合计 对附属单位补助支出", D("3.50"))]
    assert merged.data["tables"]["t01"]["lines"]["superior"]["amount"] == D("12.00")
    assert merged.trace[("t01", "superior", "amount")] == [None, D("12.00")]


@pytest.mark.parametrize("values, total", [([None, None], None), ([None, D("0.00")], D("0.00")),
                                           ([D("1.10"), None, D("2.25")], D("3.35")), ([2, 3], 5)])
def test_sum_rule_keeps_blank_apart_from_zero(values: list, total: object) -> None:
    from genreport.merge import add

    assert add(values) == total


# ---- refusals ----------------------------------------------------------------------


def _copy_with(source: Path, target: Path, **cover: object) -> Path:
    book = openpyxl.load_workbook(source)
    for label, value in cover.items():
        form_cell(book["封面概况"], label).value = value
    book.save(target)
    return target


@pytest.mark.parametrize("change, words", [
    ({"年度": 2023}, "不同年度"),
    ({"决算类型": "部门"}, "只能有一份本级"),
    ({"部门名称": MAIN_NAME}, "出现了两次"),
])
def test_refusals_in_one_sentence(units: list[Path], tmp_path: Path, change: dict, words: str) -> None:
    other = _copy_with(units[1], tmp_path / "改.xlsx", **change)
    with pytest.raises(GenreportError) as refused:
        merge_workbooks([units[0], other], tmp_path / "部门.xlsx")
    assert words in str(refused.value) and "\n" not in str(refused.value)
    assert not (tmp_path / "部门.xlsx").exists()


def test_refuses_the_same_file_twice(units: list[Path], tmp_path: Path) -> None:
    copy = tmp_path / "副本.xlsx"
    copy.write_bytes(units[1].read_bytes())
    with pytest.raises(GenreportError, match="出现了两次"):
        merge_workbooks([units[0], units[1], copy], tmp_path / "部门.xlsx")


def test_refuses_different_profiles(units: list[Path], tmp_path: Path) -> None:
    with pytest.raises(GenreportError, match="报告样式不同"):
        merge_workbooks([units[0], BUDGET], tmp_path / "部门.xlsx")


def test_refuses_a_merged_department_as_a_unit(units: list[Path], merged, tmp_path: Path) -> None:
    with pytest.raises(GenreportError, match="汇总生成的部门工作簿"):
        merge_workbooks([units[0], merged.output], tmp_path / "部门.xlsx")


def test_refuses_no_main_and_an_existing_target(units: list[Path], tmp_path: Path) -> None:
    with pytest.raises(GenreportError, match="没有本级"):
        merge_workbooks(units[1:], tmp_path / "部门.xlsx")
    assert merge_workbooks(units[1:], tmp_path / "部门.xlsx", main=units[1]).exit_code == 0
    with pytest.raises(GenreportError, match="已存在"):
        merge_workbooks(units, tmp_path / "部门.xlsx")


def test_cli_refusal_is_one_line_exit_2(units: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["merge", str(units[0]), str(units[0]), str(tmp_path / "无.xlsx"), "-o", str(tmp_path / "部门.xlsx")])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.count("\n") == 1 and err.startswith("错误：")


def test_read_reports_the_merged_department_like_any_workbook(merged) -> None:
    from genreport.spec import load_spec

    _, issues = read_workbook(merged.output, load_spec("standard"))
    assert [i for i in issues if i.severity == "error"] == []


def test_batch_merges_one_folder_per_department(units: list[Path], tmp_path: Path,
                                                capsys: pytest.CaptureFixture) -> None:
    import shutil

    for folder, members in (("审批局", units), ("无本级局", units[1:])):
        (tmp_path / "各部门" / folder).mkdir(parents=True)
        for path in members:
            shutil.copyfile(path, tmp_path / "各部门" / folder / path.name)
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(tmp_path / "各部门"), "-o", str(tmp_path / "输出"), "--merge", "-j", "1", "-q"])
    captured = capsys.readouterr()
    assert exit_.value.code == 1  # one department could not be merged
    assert "无本级局：未汇总，没有本级工作簿" in captured.err
    merged = tmp_path / "输出" / "部门工作簿" / "审批局.xlsx"
    assert merged.exists() and not (tmp_path / "输出" / "部门工作簿" / "无本级局.xlsx").exists()
    assert "已生成" in captured.out and list((tmp_path / "输出").glob("*.docx"))


# ---- the web page's 汇总 step --------------------------------------------------------------------


def test_the_web_page_merges_uploaded_units(units: list[Path], tmp_path: Path) -> None:
    pytest.importorskip("starlette")
    pytest.importorskip("httpx")
    from urllib.parse import unquote
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from genreport.web import Settings, create_app

    files = [("files", (f"用户的{p.name}", p.read_bytes(), "application/octet-stream")) for p in units]
    with TestClient(create_app(Settings(workers=1, timeout=120)), base_url="http://127.0.0.1",
                    headers={"X-Genreport": "1"}) as client:
        assert "④ 汇总" in client.get("/").text
        response = client.post("/api/merge", files=files, data={"force": "0"})
        assert response.status_code == 200, response.text
        name = unquote(response.headers["content-disposition"].split("filename*=UTF-8''", 1)[1])
        assert name == f"{MAIN_NAME}（汇总）.xlsx"
        dept = tmp_path / "部门.xlsx"
        dept.write_bytes(response.content)
        assert check_workbook(dept)[0].tables["t01"].cell("income_total", "amount").value == D("10394.91")
        refused = client.post("/api/merge", files=files[1:], data={"force": "0"})
        assert refused.status_code == 422 and "没有本级工作簿" in refused.json()["error"]
        assert "r-" not in refused.json()["error"] and "/in/" not in refused.json()["error"]
