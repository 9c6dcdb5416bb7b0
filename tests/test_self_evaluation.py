"""第五部分 附件: 项目支出绩效自评表 — figures and validation rules with failing cases at known cells."""

from __future__ import annotations

from decimal import Decimal

import pytest

from genreport.api import check_workbook
from genreport.figures import compute_figures

SHEET, IND = "绩效自评表", "绩效自评指标"


def _codes(path, prefix="self-eval"):
    _, report = check_workbook(path)
    return [[i.code, i.severity, i.sheet, i.cell] for i in report.issues if i.code.startswith(prefix)]


def _indicator(data, project, level3):
    return next(r for r in data["lists"]["indicators"] if r["project"] == project and r.get("level3") == level3)


def test_sample_self_evaluations_hold(sample_path):
    assert _codes(sample_path) == []


def test_sample_figures(sample_path):
    workbook, _ = check_workbook(sample_path)
    evals = compute_figures(workbook)["self_evals"]
    assert [e["project"] for e in evals] == ["大厅运行经费", "追加华为云计算技术有限公司标段一云服务费",
                                             "市级电子政务外网（线路租赁费）"]
    hall = evals[0]
    assert (hall["completion"].budget, hall["completion"].actual, hall["completion"].rate) == (
        Decimal("84.80"), Decimal("76.32"), Decimal("90.00"))
    assert hall["computed_score"] == Decimal("98.45") == hall["total_score"]
    assert hall["weight_total"] == 100
    assert [e["report"] for e in evals] == [True, False, True]


def test_seed_average_score_is_inconsistent(sample_path):
    """The seed prints 平均得分 90.05; the mean of its 15 printed scores is 96.72 (documented seed mistake)."""
    workbook, _ = check_workbook(sample_path)
    performance = compute_figures(workbook)["performance"]
    assert performance["mean_score"] == Decimal("96.72")
    assert performance["count"] == 15 and performance["grades"]["优"] == 13 and performance["grades"]["良"] == 2
    assert performance["completion"].budget == Decimal("45923.07")
    assert performance["completion"].actual == Decimal("9187.46")
    assert performance["completion"].rate == Decimal("20.01")


def test_score_over_weight(make_workbook):
    def bad(data):
        _indicator(data, "大厅运行经费", "窗口工作人员")["score"] = "3"

    rows = _codes(make_workbook(bad))
    assert ["self-eval-score-over-weight", "error", IND, "I12"] in rows


def test_weights_must_total_100(make_workbook):
    def bad(data):
        _indicator(data, "市级电子政务外网（线路租赁费）", "线路条数")["weight"] = "12"

    assert ["self-eval-weights", "error", SHEET, "P5"] in _codes(make_workbook(bad))


def test_total_score_is_the_sum_of_scores(make_workbook):
    def bad(data):
        data["lists"]["self_evals"][0]["total_score"] = "97.00"

    assert ["self-eval-total-score", "error", SHEET, "T3"] in _codes(make_workbook(bad))


def test_funds_total_is_the_sum_of_funds(make_workbook):
    def bad(data):
        data["lists"]["self_evals"][1]["total_executed"] = "400.00"

    rows = _codes(make_workbook(bad))
    assert ["self-eval-funds-total", "error", SHEET, "O4"] in rows
    assert ["self-eval-project-mismatch", "error", SHEET, "O4"] in rows


def test_funds_score_is_weight_times_rate(make_workbook):
    def bad(data):
        data["lists"]["self_evals"][0]["funds_score"] = "10.00"
        data["lists"]["self_evals"][0]["total_score"] = "99.45"

    assert ["self-eval-funds-score", "warning", SHEET, "Q3"] in _codes(make_workbook(bad))


def test_self_evaluation_must_match_the_project_list(make_workbook):
    def bad(data):
        data["lists"]["self_evals"][2]["project"] = "市级电子政务外网"

    rows = _codes(make_workbook(bad))
    assert ["self-eval-unknown-project", "error", SHEET, "A5"] in rows
    assert ["self-eval-orphan-indicator", "error", IND][:3] == [r for r in rows if r[0] == "self-eval-orphan-indicator"][0][:3]


@pytest.mark.parametrize("field", ["budget", "executed", "score"])
def test_project_figures_agree_with_the_narrative(make_workbook, field):
    def bad(data):
        project = next(p for p in data["lists"]["projects"] if p["name"] == "大厅运行经费")
        project[field] = "50.00"

    column = {"budget": "N3", "executed": "O3", "score": "T3"}[field]
    assert ["self-eval-project-mismatch", "error", SHEET, column] in _codes(make_workbook(bad))


# ---- the generated 附件 ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def attachment(sample_path, tmp_path_factory):
    from docx import Document

    from genreport.api import generate_report

    doc = Document(str(generate_report(sample_path, tmp_path_factory.mktemp("att")).output))
    texts = [p.text for p in doc.paragraphs]
    start = next(i for i, p in enumerate(doc.paragraphs) if p.style.name == "Heading 1" and p.text == "第五部分 附件")
    tables = doc.tables
    evaluation_tables = [(t, tables[i + 1]) for i, t in enumerate(tables) if t.rows[0].cells[0].text == "项目名称"]
    return {"text": "\n".join(texts[start:]), "tables": evaluation_tables}


def _cells(tables) -> list[str]:
    """Return the cells of a 自评表: its project part and its indicator table (whose header repeats)."""
    return [c.text for table in tables for row in table.rows for c in row.cells]


def test_attachment_has_the_seeds_three_self_evaluation_tables(attachment):
    tables = attachment["tables"]
    assert [t.rows[0].cells[1].text for t, _ in tables] == [
        "大厅运行经费", "追加华为云计算技术有限公司标段一云服务费", "市级电子政务外网（线路租赁费）"]
    hall, cloud, network = (_cells(t) for t in tables)
    # The seed's 大厅运行经费 自评表 prints 54.5 / 76.22 and a total of 93.42 and dates it 2014年1月; its own
    # narrative (十三) and 自评报告 say 84.80 / 76.32 / 98.45: the workbook takes the narrative (NOTES.md §2).
    assert {"84.80", "76.32", "90.00%", "98.45", "优"} <= set(hall)
    assert "54.50" not in hall and "93.42" not in hall
    assert {"409.79", "100.00%", "100"} <= set(cloud)
    assert {"200.42", "200.41", "100.00%", "线路条数", "≥210条", "210条"} <= set(network)


def test_attachment_has_the_two_self_evaluation_reports(attachment):
    text = attachment["text"]
    assert text.count("财政项目支出绩效自评报告") == 2
    for sentence in (
        "最终评分结果：市级电子政务外网（线路租赁费）绩效自评价结果为：总得分100分，属于“优”。",
        "最终评分结果：大厅运行经费绩效自评价结果为：总得分98.45分，属于“优”。",
        "线路条数指标值≥210条，完成值210条，分值10分，得分10分",
        "窗口工作人员指标值≥400人，完成值360人，分值2分，得分1.8分，扣分原因为：",
        "1. 该项目1笔机房维修维护费8万元，因财政资金紧张，2024年未支付成功，结转至2025年支付",
        "继续确保新乡市电子政务外网系统正常运转，及时处理各种故障",
    ):
        assert sentence in text, sentence


def test_a_blank_advice_prints_the_templates_word_for_none(make_workbook, tmp_path):
    from docx import Document

    from genreport.api import generate_report

    def blank_advice(data):
        data["lists"]["self_evals"][0]["advice_budget"] = None
        data["lists"]["self_evals"][0]["problems"] = None

    result = generate_report(make_workbook(blank_advice), tmp_path / "out.docx", force=True)
    texts = [p.text for p in Document(str(result.output)).paragraphs]
    title = texts.index("2. 对预算安排及执行情况的建议")  # the title comes from the template's macro file
    assert texts[title + 1] == "无"
    evaluation = compute_figures(result.workbook)["self_evals"][0]
    assert evaluation.problems is None and evaluation.advice[1] == {"key": "advice_budget", "text": None}
