"""Custom templates: export, lint (template check), and generation with an edited template."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from genreport.api import export_template, generate_report, lint_template
from genreport.profile import load_profile


def default_template():
    return load_profile().template_path


def _with_paragraphs(source: Path, target: Path, texts: list[str]) -> Path:
    doc = Document(str(source))
    for text in texts:
        doc.add_paragraph(text)
    doc.save(str(target))
    return target


def test_default_template_is_clean():
    assert lint_template(default_template()) == []


def test_lint_finds_unknown_variable_misspelled_filter_and_broken_tag(tmp_path):
    bad = _with_paragraphs(default_template(), tmp_path / "bad.docx", [
        "合计{{ fig.overall.totl|wan }}万元。",
        "年度：{{ year|mony }}",
        "单位：{{ dept_name }",
    ])
    found = {(f.code, f.location.split("「")[0]) for f in lint_template(bad)}
    paragraphs = len(Document(str(bad)).paragraphs)
    assert ("unknown-variable", f"第{paragraphs - 2}段") in found
    assert ("unknown-filter", f"第{paragraphs - 1}段") in found
    assert ("missing-brace", f"第{paragraphs}段") in found
    messages = " ".join(f.message for f in lint_template(bad))
    assert "是否应为“total”" in messages and "是否应为“money”" in messages


def test_template_check_prints_each_finding_as_before(tmp_path):
    """Template findings are catalogue Issues; template check prints 位置：说明 [代码], the error-level ones refuse."""
    from click.testing import CliRunner

    from genreport.catalogue import bundled_catalogue
    from genreport.commands import cli

    bad = _with_paragraphs(default_template(), tmp_path / "bad.docx", ["{{ year|mony }}", "说明{%p if year %}",
                                                                        "{%p endif %}"])
    found = lint_template(bad)
    assert [(f.code, f.severity) for f in found] == [("dropped-text", "warning"), ("unknown-filter", "error")]
    assert all(f.severity == bundled_catalogue().entry(f.code).severity and not f.sheet for f in found)
    shown = CliRunner().invoke(cli, ["template", "check", str(bad)])
    assert shown.exit_code == 1
    assert shown.output.splitlines()[:2] == [f"{f.location}：{f.message} [{f.code}]" for f in found]
    assert "本段含 {%p … %} 标签，渲染时整段被替换" in shown.output and "未知的过滤器“mony”，是否应为“money”？" in shown.output


def test_lint_reports_dropped_text_next_to_a_paragraph_tag(tmp_path):
    bad = _with_paragraphs(default_template(), tmp_path / "bad.docx", ["说明{%p if year %}", "{%p endif %}"])
    assert [f.code for f in lint_template(bad)] == ["dropped-text"]


def test_template_check_cli_exit_codes(tmp_path, capsys):
    from genreport.commands import cli

    bad = _with_paragraphs(default_template(), tmp_path / "bad.docx", ["{{ yeer }}"])
    with pytest.raises(SystemExit) as clean:
        cli.main(["template", "check", str(default_template())], standalone_mode=False)
    with pytest.raises(SystemExit) as dirty:
        cli.main(["template", "check", str(bad)], standalone_mode=False)
    assert (clean.value.code, dirty.value.code) == (0, 1)
    assert "未知的变量“yeer”，是否应为“year”？" in capsys.readouterr().out


def test_exported_template_edited_in_python_docx_is_used(sample_path, tmp_path):
    files = export_template(tmp_path / "mine")
    template = next(f for f in files if f.suffix == ".docx")
    assert sorted(str(f.relative_to(tmp_path / "mine")) for f in files) == [
        "report.docx", "report.macros.jinja", "workbook_specs/checks.yaml", "workbook_specs/glossary/central.yaml",
        "workbook_specs/profiles/central.yaml", "workbook_specs/standard.yaml"]
    doc = Document(str(template))
    sentence = next(p for p in doc.paragraphs if p.text.startswith("{{ year }}年度收、支总计均为"))
    sentence.runs[0].text = sentence.runs[0].text.replace("收、支总计均为", "收支总计为")
    doc.styles["Normal"].font.size = Pt(15)
    doc.save(str(template))
    result = generate_report(sample_path, tmp_path / "out", template=template)
    out = Document(str(result.output))
    assert any(p.text.startswith("2024年度收支总计为10,394.91万元。") for p in out.paragraphs)
    assert out.styles["Normal"].font.size == Pt(15)


def test_export_refuses_to_overwrite(tmp_path):
    export_template(tmp_path)
    from genreport.errors import OutputError

    with pytest.raises(OutputError):
        export_template(tmp_path)


def test_template_environment_variable(sample_path, tmp_path, monkeypatch):
    files = export_template(tmp_path / "mine")
    template = next(f for f in files if f.suffix == ".docx")
    doc = Document(str(template))
    doc.add_paragraph("自定义模板标记")
    doc.save(str(template))
    monkeypatch.setenv("GENREPORT_TEMPLATE", str(template))
    result = generate_report(sample_path, tmp_path / "out")
    assert "自定义模板标记" in [p.text for p in Document(str(result.output)).paragraphs]


def _table_ids() -> list[str]:
    return [t.id for t in load_profile().workbook_spec.tables]


@pytest.mark.parametrize(("paragraphs", "row", "code", "message"), [
    (["{{ “x” }}"], None, "curly-quote",
     "标签内有中文引号（“ ” ‘ ’），渲染时会被换成英文引号；请把带中文引号的文字写在标签外，或写进句式宏文件"),
    (["开始 {{ year"], None, "split-tag",
     "标签的开始和结束不在同一段落（docxtpl 不处理跨段落的标签），请把整个标签放在一段内"),
    (["单位：{{ dept_name }"], None, "missing-brace",
     "标签“{{ dept_name }”缺少括号：输出用 {{ … }}，语句用 {% … %}，两边的括号要成对"),
    (["表格 {{ table('t01') }}"], None, "placeholder-not-alone",
     "表格占位符必须单独成段（生成时整段替换为表格），请把段内其他文字移到别的段落"),
    (["{{ table('收入表') }}"], None, "unknown-table", None),
    (["{{ yaer }}"], None, "unknown-variable", "未知的变量“yaer”，是否应为“year”？"),
    ([], ["{%tr for x in [] %}", "{%tr endfor %}"], "double-tr",
     "一行中有多个 {%tr %} 标签，docxtpl 只保留第一个，其余被静默丢弃"),
    ([], ["{%tr for x in [] %}文字", "其他文字"], "dropped-text",
     "含 {%tr %} 标签的行在渲染时整行被替换，同一行其他单元格的文字会被丢弃"),
], ids=["curly-quote", "split-tag", "missing-brace", "placeholder-not-alone", "unknown-table", "unknown-variable",
        "double-tr", "dropped-text-row"])
def test_each_template_finding_says_its_catalogue_sentence(tmp_path, paragraphs, row, code, message):
    """The template check's sentences live in checks.yaml (group M); each reads as an editor needs it."""
    bad = _with_paragraphs(default_template(), tmp_path / "bad.docx", paragraphs)
    if row is not None:
        doc = Document(str(bad))
        cells = doc.add_table(rows=1, cols=len(row)).rows[0].cells
        for cell, text in zip(cells, row):
            cell.text = text
        doc.save(str(bad))
    if message is None:  # a table the spec lacks: every id it has
        message = f"工作簿说明中没有表“收入表”（可用：{'、'.join(_table_ids())}）"
    assert (code, message) in {(f.code, f.message) for f in lint_template(bad)}


def _exported(folder: Path) -> Path:
    """Return the report.docx of the default style exported as an editor does (genreport template export)."""
    from click.testing import CliRunner

    from genreport.commands import cli

    assert CliRunner().invoke(cli, ["template", "export", str(folder)]).exit_code == 0
    return folder / "report.docx"


def _template_check(folder: Path) -> tuple[int, list[str]]:
    """Return genreport template check's exit code and its finding lines (位置：说明 [代码])."""
    from click.testing import CliRunner

    from genreport.commands import cli

    shown = CliRunner().invoke(cli, ["template", "check", str(folder)])
    return shown.exit_code, shown.output.splitlines()[:-1]


def test_a_deleted_table_style_is_reported_once_and_the_exported_template_is_clean(tmp_path):
    template = _exported(tmp_path / "我的模板")
    assert _template_check(tmp_path / "我的模板") == (0, [])
    document = Document(str(template))
    document.styles["表注"].delete()  # the editor deletes the 表注 style in Word's style pane
    document.save(str(template))
    assert _template_check(tmp_path / "我的模板") == (
        1, ["模板样式：缺少表格排版需要的样式“表注”，请从导出的默认模板复制该样式 [missing-style]"])


def _shadow_findings(folder: Path, paragraphs: list[str]) -> list[str]:
    """Return template check's lines after an editor adds paragraphs to the exported template; assert exit 1 when
    there are any, each placed at the last paragraph."""
    template = _exported(folder)
    _with_paragraphs(template, template, paragraphs)
    code, lines = _template_check(folder)
    last = len(Document(str(template)).paragraphs)
    assert code == (1 if lines else 0) and all(line.startswith(f"第{last}段") for line in lines), lines
    return [line.split("」：", 1)[1] for line in lines]


def test_a_field_named_like_a_dict_method_is_reported_at_its_paragraph(tmp_path):
    assert _shadow_findings(tmp_path / "我的模板", ["本年共有项目{{ fig.overall.items }}个。"]) == [
        "“items”与字典的方法同名，模板中会得到方法而不是数据，请改用 [\"items\"] [method-shadows-key]"]


def test_a_dict_method_called_on_purpose_is_not_reported_and_one_read_as_a_field_still_is(tmp_path):
    assert _shadow_findings(tmp_path / "我的模板", [
        "{% for k, v in fig.overall.items() %}{{ k }}：{{ v }}；{% endfor %}",
        "共{{ fig.overall.keys() | list | length }}项，合计{{ fig.overall.get(\"total\", 0) }}。",
        "本年共有{{ fig.overall.values }}。",
    ]) == ["“values”与字典的方法同名，模板中会得到方法而不是数据，请改用 [\"values\"] [method-shadows-key]"]
