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
