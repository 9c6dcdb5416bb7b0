"""A region is data: editors change wording, styles, table order and headers in exported files, nothing is rebuilt.

Every test starts from `genreport template export` (what an installed user has) and edits the exported
files the way an editor would (Word for the template, a text editor for the YAML).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import yaml
from click.testing import CliRunner
from docx import Document

from genreport.commands import cli
from genreport.excel import write_workbook
from genreport.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent


def _export(folder: Path, *options: str) -> Path:
    result = CliRunner().invoke(cli, ["template", "export", *options, str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def _generate(workbook: Path, folder: Path, out: Path) -> Document:
    result = CliRunner().invoke(cli, [str(workbook), "--template", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return Document(str(next(out.glob("*.docx"))))


def _replace_in_template(path: Path, old: str, new: str) -> None:
    """Change a sentence the way Word does: in the run that holds it."""
    doc = Document(str(path))
    runs = [r for p in doc.paragraphs for r in p.runs if old in r.text]
    assert runs, old
    for run in runs:
        run.text = run.text.replace(old, new)
    doc.save(str(path))


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_edited_sentence_and_style_reach_the_document(tmp_path, sample_path):
    folder = _export(tmp_path / "模板")
    template = folder / "report.docx"
    _replace_in_template(template, "年度收、支总计均为", "年度收支总计都是")
    doc = Document(str(template))
    doc.styles["表注"].font.size = doc.styles["表注"].font.size + 12700 * 2  # two points larger
    doc.save(str(template))
    out = _generate(sample_path, folder, tmp_path / "out")
    assert "2024年度收支总计都是10,394.91万元。" in "\n".join(p.text for p in out.paragraphs)
    assert out.styles["表注"].font.size == Document(str(template)).styles["表注"].font.size


def test_an_edited_macro_changes_every_sentence_that_uses_it(tmp_path, sample_path):
    folder = _export(tmp_path / "模板")
    macros = folder / "report.macros.jinja"
    macros.write_text(macros.read_text(encoding="utf-8").replace("与上年度相比，", "与上年相比，"), encoding="utf-8")
    text = "\n".join(p.text for p in _generate(sample_path, folder, tmp_path / "out").paragraphs)
    assert text.count("与上年相比，") >= 3 and "与上年度相比，" not in text


def test_table_order_and_a_header_label_come_from_the_exported_spec(tmp_path, spec, seed_plain_data):
    folder = _export(tmp_path / "模板")
    spec_file = folder / "workbook_specs" / "standard.yaml"

    def change(data):
        data["table_order"] = ["t09", *[t["id"] for t in data["tables"] if t["id"] != "t09"]]
        data["tables"][1]["header"][0][2] = "本年收入总计"

    _edit_yaml(spec_file, change)
    workbook = write_workbook(tmp_path / "wb.xlsx", load_spec(str(spec_file)), copy.deepcopy(seed_plain_data))
    out = _generate(workbook, folder, tmp_path / "out")
    titles = [p.text for p in out.paragraphs if p.style.name == "表名"][:3]
    assert titles == ["一般公共预算财政拨款“三公”经费支出决算表", "收入支出决算总表", "收入决算表"]
    assert "本年收入总计" in [c.text for c in out.tables[2].rows[0].cells]


def test_a_coded_tables_total_label_comes_from_the_spec(tmp_path, seed_plain_data):
    folder = _export(tmp_path / "模板")
    spec_file = folder / "workbook_specs" / "standard.yaml"

    def change(data):
        next(t for t in data["tables"] if t["id"] == "t05")["total_label"] = "总计"

    _edit_yaml(spec_file, change)
    workbook = write_workbook(tmp_path / "wb.xlsx", load_spec(str(spec_file)), copy.deepcopy(seed_plain_data))
    from genreport.api import check_workbook

    model, _ = check_workbook(workbook, profile=str(folder))  # the blank workbook's 总计 row is read as the total
    assert model.tables["t05"].cell("total", "total").value == seed_plain_data["tables"]["t05"]["lines"]["total"]["total"]
    cells = [c.text for t in _generate(workbook, folder, tmp_path / "out").tables for r in t.rows for c in r.cells]
    assert "总计" in cells


def test_a_third_profile_is_only_data(tmp_path, seed_plain_data):
    """A new region: copied profile, new id and title, a changed heading, other number conventions."""
    folder = _export(tmp_path / "示例市样式")
    profile_file = next((folder / "workbook_specs" / "profiles").glob("*.yaml"))

    def change(data):
        data.update(id="demo-city", title="示例市样式")
        data["conventions"].update(text_thousands=False, text_zero="0.00", table_heading="表{n} {title}")

    _edit_yaml(profile_file, change)
    _replace_in_template(folder / "report.docx", "概况", "基本情况")
    data = copy.deepcopy(seed_plain_data)
    data["forms"]["profile"]["profile"] = "demo-city"
    workbook = write_workbook(tmp_path / "wb.xlsx", load_spec(str(folder / "workbook_specs" / "standard.yaml")), data)
    out = _generate(workbook, folder, tmp_path / "out")
    texts = [p.text for p in out.paragraphs]
    assert "第一部分 新乡市行政审批和政务信息管理局基本情况" in texts
    assert "2024年度收、支总计均为10394.91万元。" in "\n".join(texts)
    titles = [p.text for p in out.paragraphs if p.style.name == "表名"]
    assert titles[:2] == ["表1 收入支出决算总表", "表2 收入决算表"]
    assert "支出决算为0.00万元" in "".join(texts)


#: The modules that compute and write the document. Everything else in cli/ speaks to the user (problems,
#: CLI output, help, generated docs), where Chinese sentences are messages, not report wording.
DOCUMENT_MODULES = ["figures.py", "comparisons.py", "selfeval.py", "amounts.py", "model.py", "profile.py", "spec.py",
                    "render/__init__.py", "render/context.py", "render/tables.py", "render/filters.py",
                    "render/charts.py", "render/chartbook.py", "render/ooxml.py", "render/macros.py",
                    "render/overrides.py", "render/toc.py", "render/layout.py"]


def test_no_python_file_holds_a_report_sentence():
    """Wording lives in the templates: in the document modules and tools/, no string literal is a CJK sentence
    (ending in 。) or holds 万元, except docstrings and the one-sentence errors they raise."""
    package = ROOT / "cli" / "genreport"
    paths = [package / m for m in DOCUMENT_MODULES] + sorted((ROOT / "tools").rglob("*.py"))
    offenders = [f"{path.relative_to(ROOT)}:{line}: {text[:40]}" for path in paths
                 for line, text in _report_like_strings(path)]
    assert offenders == []


def _report_like_strings(path: Path):
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                allowed.add(id(first.value))
        if isinstance(node, ast.Raise) and node.exc is not None:
            allowed.update(id(n) for n in ast.walk(node.exc))
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("Issue", "issue"):
            allowed.update(id(n) for n in ast.walk(node))  # a problem reported to the accountant
        if isinstance(node, ast.AnnAssign) or isinstance(node, ast.Expr):
            value = node.value
            if isinstance(value, ast.Constant):  # attribute docstrings
                allowed.add(id(value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in allowed:
            text = node.value
            if "万元" in text or (text.rstrip().endswith("。") and re.search(r"[\u4e00-\u9fff]", text)):
                yield node.lineno, text


def test_a_profile_name_never_reads_a_file_outside_the_profiles():
    import pytest

    from genreport.errors import GenreportError
    from genreport.profile import load_profile

    for name in ("../checks", "../profiles/central", "..\\checks"):
        with pytest.raises(GenreportError, match="没有名为"):
            load_profile(name)
