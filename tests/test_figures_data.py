"""Figures are data: every profile's figures come from its spec's `figures:` and a mistake there is one sentence.

The tests work as a profile author does: `genreport template export`, then edit the YAML and the Word
template, never Python.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from decimal import Decimal

import pytest
import yaml
from click.testing import CliRunner
from docx import Document

from genreport.amounts import quantize
from genreport.api import check_workbook
from genreport.commands import cli
from genreport.excel import read_workbook, write_workbook
from genreport.figlang import figure_problem
from genreport.figspec import defined_figures
from genreport.spec import load_spec

from _hostile import run_cli


def _export(folder, *options):
    result = CliRunner().invoke(cli, ["template", "export", *options, str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def _edit_yaml(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _append_to_sentence(template, sentence, added):
    """Add text after a sentence of the Word template, in the run that holds it (as an editor types it)."""
    doc = Document(str(template))
    runs = [r for p in doc.paragraphs for r in p.runs if sentence in r.text]
    assert runs, sentence
    runs[0].text = runs[0].text.replace(sentence, sentence + added)
    doc.save(str(template))


def _text(out_dir):
    return "\n".join(p.text for p in Document(str(next(out_dir.glob("*.docx")))).paragraphs)


def test_a_new_figure_in_an_exported_central_profile_reaches_the_document(tmp_path, sample_path):
    """YAML and template only: 基本支出占本年支出合计的比例, computed by the tool (half-up) and printed."""
    folder = _export(tmp_path / "模板")
    _edit_yaml(folder / "workbook_specs" / "standard.yaml", lambda d: d["figures"]["expense"].update(
        basic_share="share(t03.total.basic, t03.total.total)"))
    _append_to_sentence(folder / "report.docx", "年度收、支总计均为",
                        "（基本支出占{{ fig.expense.basic_share|pct }}）")
    result = CliRunner().invoke(cli, [str(sample_path), "--template", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    workbook, _ = check_workbook(sample_path)
    t03 = workbook.tables["t03"]
    expected = quantize(t03.amount("total", "basic") * 100 / t03.amount("total", "total"))
    assert f"（基本支出占{expected}%）" in _text(tmp_path / "out")


def _with_prior_items(spec):
    """Return spec with a list of last year's 项 execution and a per-row comparison figure (as YAML would add)."""
    prior_items = {
        "id": "prior_items", "sheet": "上年项级支出", "layout": "list", "title": "上年各项支出决算", "optional": True,
        "columns": [{"id": "code", "header": "科目编码", "type": "text", "required": True},
                    {"id": "amount", "header": "上年决算数", "type": "money"}]}
    return prior_items, {
        "rows": "t05", "level": 3, "join": {"list": "prior_items", "key": "code"},
        "each": {"name": "row.name", "actual": "row.total", "prior": "row.amount",
                 "change": "change(row.total, row.amount)",
                 "share": "share(row.total, t05.total.total)"}}


def test_a_per_row_comparison_is_computed_half_up_for_each_item(tmp_path, seed_plain_data):
    base = load_spec("standard")
    prior_items, figure = _with_prior_items(base)
    from genreport.spec import _build_input

    spec = replace(base, inputs=(*base.inputs, _build_input(prior_items, "inputs")),
                   figures={**base.figures, "item_changes": figure})
    assert figure_problem(spec) is None
    data = copy.deepcopy(seed_plain_data)
    first_code = next(r["code"] for r in data["tables"]["t05"]["rows"] if len(r["code"]) == 7)
    data["lists"]["prior_items"] = [{"code": first_code, "amount": "3.33"}]
    workbook, _ = read_workbook(write_workbook(tmp_path / "wb.xlsx", spec, data), spec)
    items = defined_figures(workbook)["item_changes"]
    item = next(i for i in items if i["prior"] is not None)
    assert item["prior"] == Decimal("3.33") and item["change"].rate == quantize(abs(quantize(item["actual"]) - Decimal("3.33")) * 100 / Decimal("3.33"))
    assert all(i["change"] is None for i in items if i["prior"] is None)   # no last-year figure: no comparison


MISTAKES = {
    "an unknown cell": ("change(t01.income_totl.amount, prior.total)", "figures.overall.change", "income_totl"),
    "an unknown field": ("change(t01.income_total.amount, prior.totl)", "figures.overall.change", "totl"),
    "an unknown function": ("chang(t01.income_total.amount, prior.total)", "figures.overall.change", "chang"),
    "a figure used before it is defined": ("fig.general.total", "figures.overall.change", "fig.general.total"),
    "a broken expression": ("t01.income_total.amount +", "figures.overall.change", "无法识别"),
}


def _one_sentence_from_every_verb(folder, sample_path, out, *words):
    """Run check, generate and template check on the profile folder; each must stop (exit 2) with one line that
    holds every word and no internal error."""
    for verb, args in {
        "check": ["check", str(sample_path), "--profile", str(folder)],
        "generate": [str(sample_path), "--template", str(folder), "-o", str(out)],
        "template check": ["template", "check", str(folder)],
    }.items():
        run = run_cli(*args)
        assert run.code == 2, (verb, run.text)
        lines = [line for line in run.text.strip().splitlines() if line.strip()]
        assert len(lines) == 1, (verb, run.text)
        assert all(word in lines[0] for word in words), (verb, lines[0])
        assert "程序内部出错" not in run.text and "Error" not in run.text


@pytest.mark.parametrize("mistake", MISTAKES, ids=list(MISTAKES))
def test_a_figures_mistake_is_one_sentence_from_check_generate_and_template_check(tmp_path, sample_path, mistake):
    text, where, word = MISTAKES[mistake]
    folder = _export(tmp_path / "模板")
    _edit_yaml(folder / "workbook_specs" / "standard.yaml", lambda d: d["figures"]["overall"].update(change=text))
    _one_sentence_from_every_verb(folder, sample_path, tmp_path / "out", "standard.yaml", where, word)


def _replace_in_checks(folder, old, new):
    path = folder / "workbook_specs" / "checks.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


RULE_MISTAKES = {
    "an identity's cell": (
        "expr: \"t01.income_total.amount = t01.income_sum.amount", "expr: \"t01.income_totl.amount = t01.income_sum.amount",
        "identities[", "income_totl"),
    "a check rule's key": ("{code: t01-balance, label: 收入总计, expr:", "{code: t01-balance, label: 收入总计, exprr:",
                           "identities[", "exprr"),
    "a rule's unknown code": ("{code: t01-balance, label:", "{code: t01-balanse, label:", "identities[", "t01-balanse"),
    "an implication's field": ("require: reasons.total_change}", "require: reasons.totl_change}", "implications[",
                               "totl_change"),
}


@pytest.mark.parametrize("mistake", RULE_MISTAKES, ids=list(RULE_MISTAKES))
def test_a_check_rule_mistake_is_one_sentence_from_check_generate_and_template_check(tmp_path, sample_path, mistake):
    old, new, where, word = RULE_MISTAKES[mistake]
    folder = _export(tmp_path / "模板")
    _replace_in_checks(folder, old, new)
    _one_sentence_from_every_verb(folder, sample_path, tmp_path / "out", "checks.yaml", where, word)


def test_a_freshly_exported_profile_loads_with_every_rule_resolved(tmp_path, sample_path):
    folder = _export(tmp_path / "模板")
    assert (folder / "workbook_specs" / "checks.yaml").is_file()
    run = run_cli("check", sample_path, "--profile", folder)
    assert run.code in (0, 1), run.text


def test_a_header_wider_than_its_table_is_one_sentence_from_check_generate_and_template_check(tmp_path, sample_path):
    folder = _export(tmp_path / "模板")
    _edit_yaml(folder / "workbook_specs" / "standard.yaml",
               lambda d: d["tables"][1]["header"][0].__setitem__(0, {"text": "功能分类科目编码", "colspan": 3}))
    _one_sentence_from_every_verb(folder, sample_path, tmp_path / "out", "standard.yaml", "t02", "header")


def test_a_mistyped_placeholder_is_one_sentence_from_check(tmp_path, sample_path):
    """`check --profile DIR` refuses a template generation would refuse: the file, the placeholder, exit 2."""
    folder = _export(tmp_path / "模板")
    doc = Document(str(folder / "report.docx"))
    run = next(r for p in doc.paragraphs for r in p.runs if "fig.overall.total" in r.text)
    run.text = run.text.replace("fig.overall.total", "fig.overall.totl", 1)
    doc.save(str(folder / "report.docx"))
    checked = run_cli("check", sample_path, "--profile", folder)
    lines = [line for line in checked.text.strip().splitlines() if line.strip()]
    assert checked.code == 2 and len(lines) == 1, checked.text
    assert "report.docx" in lines[0] and "占位符“fig.overall.totl”" in lines[0] and "是否应为“total”" in lines[0]
    assert "程序内部出错" not in checked.text and "Error" not in checked.text
    run.text = run.text.replace("fig.overall.totl", "fig.overall.total", 1)  # corrected: check reads the workbook
    doc.save(str(folder / "report.docx"))
    assert run_cli("check", sample_path, "--profile", folder).code in (0, 1)


def test_a_mistyped_placeholder_is_named_by_generate_and_template_check(tmp_path, sample_path):
    folder = _export(tmp_path / "模板")
    doc = Document(str(folder / "report.docx"))
    run = next(r for p in doc.paragraphs for r in p.runs if "fig.overall.total" in r.text)
    run.text = run.text.replace("fig.overall.total", "fig.overal.total", 1)
    doc.save(str(folder / "report.docx"))
    generated = run_cli(sample_path, "--template", folder, "-o", tmp_path / "out")
    assert generated.code == 2 and "report.docx" in generated.text and "overal" in generated.text
    assert len(generated.text.strip().splitlines()) == 1, generated.text
    checked = run_cli("template", "check", folder)
    assert checked.code == 1 and "“overal”不是可用的字段，是否应为“overall”" in checked.text
    assert "程序内部出错" not in generated.text + checked.text


FIGURE_MISTAKES = {
    "a joined list that does not exist": (
        lambda f: f["general"]["details"].update(join={"list": "budgetz", "key": "code"}),
        "figures.general.details.join：输入表 budgetz 不存在"),
    "a line a parts figure lacks": (lambda f: f["income"]["parts"].update(line="totl"),
                                    "figures.income.parts.line：表 t02 没有 totl 行"),
    "a row field the row lacks": (lambda f: f["general"]["details"]["each"].update(x="row.budgt"),
                                  "figures.general.details.each.x：本行没有 budgt"),
    "row. outside a list": (lambda f: f["general"].update(x="row.total"),
                            "figures.general.x：row.total 只能写在 rows 或 records 的 each 中"),
    "a list used as a value": (lambda f: f.update(x="fig.general.details[].actual"),
                               "figures.x：fig.general.details[].actual 是一列值"),
    "a wrong number of arguments": (lambda f: f.update(x="change(1, 2, 3)"),
                                    "figures.x：change 应有 2 个参数，写了 3 个"),
    "a comparison": (lambda f: f.update(x="t01.income_total.amount = 3"), "figures.x：“t01.income_total.amount = 3”中不能有比较符"),
}


@pytest.mark.parametrize("mistake", FIGURE_MISTAKES, ids=list(FIGURE_MISTAKES))
def test_each_kind_of_figures_mistake_is_named_with_its_key_path(mistake):
    change, message = FIGURE_MISTAKES[mistake]
    spec = load_spec("standard")
    figures = copy.deepcopy(spec.figures)
    change(figures)
    assert figure_problem(replace(spec, figures=figures)).startswith(message)


def test_every_bundled_spec_defines_valid_figures():
    for name in ("standard", "shanghai", "budget-shanghai"):
        assert load_spec(name).figures and figure_problem(load_spec(name)) is None
