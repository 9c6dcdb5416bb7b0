"""Template mistakes are told in Chinese, at the paragraph where they start (template check and generation)."""

from __future__ import annotations

import re

import pytest
from docx import Document
from test_template_tools import _with_paragraphs

from genreport.api import generate_report, lint_template
from genreport.render import TemplateProblem
from genreport.resources import default_template
from genreport.profile import load_profile

ENGLISH = re.compile(r"[A-Za-z]{3,}(?: [A-Za-z']+){2,}")


@pytest.fixture
def base():
    return default_template() or load_profile().template_path


def _last_paragraphs(path, count: int) -> list[int]:
    total = len(Document(str(path)).paragraphs)
    return list(range(total - count + 1, total + 1))


def test_an_unclosed_if_is_one_problem_at_its_opening_paragraph(base, tmp_path):
    bad = _with_paragraphs(base, tmp_path / "bad.docx", ["{% if year %}", "本段在块内。", "结尾一段。"])
    opening, _, _ = _last_paragraphs(bad, 3)
    found = lint_template(bad)
    assert [(f.code, f.location.split("「")[0]) for f in found] == [("syntax-error", f"第{opening}段")]
    assert "{% if %} 没有对应的 {% endif %}" in found[0].message
    assert not ENGLISH.search(found[0].message)


def test_a_missing_brace_is_named_as_such(base, tmp_path):
    bad = _with_paragraphs(base, tmp_path / "bad.docx", ["单位：{{ dept_name }"])
    found = lint_template(bad)
    assert [f.code for f in found] == ["missing-brace"]
    assert "“{{ dept_name }”缺少括号" in found[0].message


@pytest.mark.parametrize(("text", "expected"), [
    ("{% if year %}块没有结束", "{% if %} 没有对应的 {% endif %}"),
    ("金额{{ year|万元 }}", "未知的过滤器“万元”"),
    ("单位：{{ dept_name }", "缺少一个“}”"),
    ("{% endfor %}", "多余的 {% endfor %}"),
])
def test_generation_names_the_paragraph_and_the_problem_in_chinese(text, expected, base, sample_path, tmp_path):
    bad = _with_paragraphs(base, tmp_path / "bad.docx", [text])
    (paragraph,) = _last_paragraphs(bad, 1)
    with pytest.raises(TemplateProblem) as problem:
        generate_report(sample_path, tmp_path / "out.docx", template=bad)
    message = str(problem.value)
    assert f"第{paragraph}段" in message and expected in message
    assert "genreport template check" in message
    assert not ENGLISH.search(message.replace("genreport template check", "")), message
