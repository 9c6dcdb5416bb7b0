"""Finding a spec's tables in a publication's text (the neutral model both readers give): titles with
justification spaces, headers repeated on every page, numbers with or without thousands separators, blank
kept apart from 0.00 and placeholders never read as figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from genreport.profile import load_profile
from genreport.publication.document import Document, Grid, Line, squeeze
from genreport.publication.importer import import_document

HEADER = [["功能分类科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
           "附属单位上缴收入", "其他收入"], ["栏次", None, "1", "2", "3", "4", "5", "6", "7"]]


def _document(*blocks) -> Document:
    return Document(Path("公开文本.pdf"), list(blocks), pages=3)


def test_squeeze_removes_cjk_justification_spaces_but_not_those_between_latin_words():
    assert squeeze("收 入 决 算 表") == "收入决算表"
    assert squeeze("上海市 XX 局\n（本级）") == "上海市XX局（本级）"
    assert squeeze("Word 2016 版") == "Word 2016版"


def test_a_coded_table_continues_across_pages_with_its_header_repeated():
    document = _document(
        Line("目 录", 1), Line("收入决算表.......................5", 1),
        Line("收 入 决 算 表", 2), Line("公开02表", 2), Line("部门名称：示例局 单位：万元", 2),
        Grid([*HEADER, ["", "合计", "1,500.00", "1500.00", "", "", "", "", "0.00"],
              ["201", "一般公共服务支出", "1,500.00", "1,500.00", "", "", "", "", "0.00"]], 2),
        Line("— 5 —", 2),
        Grid([*HEADER, ["20101", "人大事务", "XXX", "…", "", "", "", "", ""]], 3),
        Line("注：本表反映部门本年度取得的各项收入情况。", 3),
        Grid([["序号", "项目名称"], ["1", "不属于本表的附件"]], 3))
    imported = import_document(document, load_profile("central"))
    found = imported.found["t02"]
    assert found.title_page == 2 and found.header_matched
    table = imported.data["tables"]["t02"]
    assert table["lines"]["total"]["total"] == Decimal("1500.00") == table["lines"]["total"]["fiscal"]
    assert table["lines"]["total"]["superior"] is None and table["lines"]["total"]["other"] == Decimal("0.00")
    assert [(r["code"], r["name"], r["total"]) for r in table["rows"]] == [
        ("201", "一般公共服务支出", Decimal("1500.00")), ("20101", "人大事务", None)]
    assert imported.places[("t02", "20101", "total")] == "第 3 页"
    assert imported.data["forms"]["profile"]["dept_name"] == "示例局"
