"""文字调整 keys that work: the sheet's examples exist, check suggests the nearest key, `template keys` lists them."""

from __future__ import annotations

import re

import pytest

from genreport.api import check_workbook, template_keys
from genreport.commands import main
from genreport.render.overrides import known_key
from genreport.spec import load_spec


@pytest.fixture(scope="module")
def central_keys():
    return template_keys()


@pytest.mark.parametrize(("profile", "spec"), [("central", "standard"), ("shanghai-district", "shanghai")])
def test_the_sheets_examples_are_real_keys(profile, spec):
    field = load_spec(spec).input("overrides").field("key")
    examples = re.findall(r"\bs\d[\w.]*\d|\bs\d+\b", field.hint)
    assert examples, field.hint
    keys = [i.key for i in template_keys(profile)]
    assert [e for e in examples if not known_key(e, keys)] == []


def test_template_keys_lists_every_key_with_its_first_words(central_keys):
    by_key = {i.key: i for i in central_keys}
    assert by_key["s1"].opening.startswith("2024年度收、支总计均为10,394.91万元")
    assert "s5.3.item.3" in by_key and "s5.3.item" not in by_key
    openings = [i.opening for i in central_keys]
    assert len(set(openings)) == len(openings)  # every key is told apart by its own paragraph


def _check_with_keys(make_workbook, *keys):
    def add_rows(data):
        data.setdefault("lists", {})["overrides"] = [{"key": k, "mode": "替换", "text": "改写的一段。"} for k in keys]

    return [i for i in check_workbook(make_workbook(add_rows))[1].issues if i.code == "unknown-paragraph-key"]


def test_check_names_wrong_keys_and_suggests_the_nearest(make_workbook):
    issues = _check_with_keys(make_workbook, "s1", "s5.3.item.3", "s5.3.itme.3", "五.项目.3", "一.收支总计")
    assert [i.actual for i in issues] == ["s5.3.itme.3", "五.项目.3", "一.收支总计"]
    assert "是否想用 s5.3.item.3" in issues[0].message or "s5.3.item" in issues[0].expected
    assert issues[1].expected.startswith("s5.")
    assert issues[2].expected.startswith("s1")
    assert all("genreport template keys" in i.message for i in issues)


def test_a_wrong_key_is_reported_once_when_generating(make_workbook, tmp_path):
    from genreport.api import generate_report

    def add_rows(data):
        data.setdefault("lists", {})["overrides"] = [{"key": "s99", "mode": "替换", "text": "无处安放"}]

    result = generate_report(make_workbook(add_rows), tmp_path / "out.docx")
    assert [i.actual for i in result.report.issues if i.code == "unknown-paragraph-key"] == ["s99"]


def test_template_keys_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["template", "keys", "--profile", "shanghai-district"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    assert re.search(r"^  s1 +\S", out, re.M) and "s5.3.item" in out
