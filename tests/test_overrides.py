"""Wording overrides (文字调整): replace exactly the addressed paragraph, or add one after it."""

from __future__ import annotations

import copy

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from genreport.api import generate_report
from genreport.render.overrides import bookmark_name, paragraph_keys
from genreport.profile import load_profile


def default_template():
    return load_profile().template_path


def _texts(path):
    return [p.text for p in Document(str(path)).paragraphs]


def _with_overrides(seed_plain_data, rows):
    data = copy.deepcopy(seed_plain_data)
    data.setdefault("lists", {})["overrides"] = rows
    return data


def test_template_defines_the_documented_keys():
    body = Document(str(default_template())).element.body
    keys = paragraph_keys(body)
    assert {"s1", "s5.1", "s5.3.item", "s13.2.project"} <= set(keys)


def test_replace_exactly_the_addressed_paragraph(spec, seed_plain_data, tmp_path):
    from genreport.excel import write_workbook

    baseline = _texts(generate_report(write_workbook(tmp_path / "a.xlsx", spec, seed_plain_data), tmp_path / "a").output)
    data = _with_overrides(seed_plain_data, [{"key": "s1", "mode": "替换", "text": "本年度收支总计说明 & <特殊> {{ 7*7 }}。"}])
    result = generate_report(write_workbook(tmp_path / "b.xlsx", spec, data), tmp_path / "b")
    changed = _texts(result.output)
    diff = [(a, b) for a, b in zip(baseline, changed) if a != b]
    assert len(baseline) == len(changed)
    assert diff == [(next(t for t in baseline if t.startswith("2024年度收、支总计均为")),
                     "本年度收支总计说明 & <特殊> {{ 7*7 }}。")]


def test_append_after_a_looped_paragraph(spec, seed_plain_data, tmp_path):
    from genreport.excel import write_workbook

    data = _with_overrides(seed_plain_data, [{"key": "s5.3.item.12", "mode": "追加", "text": "补充说明：驻村经费。"}])
    texts = _texts(generate_report(write_workbook(tmp_path / "c.xlsx", spec, data), tmp_path / "c").output)
    at = texts.index("补充说明：驻村经费。")
    assert texts[at - 1].startswith("12. 农林水支出（类）")


def test_unknown_key_is_a_warning_naming_the_cell(spec, seed_plain_data, tmp_path):
    from genreport.excel import write_workbook

    data = _with_overrides(seed_plain_data, [{"key": "s99", "mode": "替换", "text": "无处安放"}])
    result = generate_report(write_workbook(tmp_path / "d.xlsx", spec, data), tmp_path / "d")
    found = [i for i in result.report.issues if i.code == "unknown-paragraph-key"]
    assert [(i.sheet, i.cell) for i in found] == [("文字调整", "A3")]
    assert "无处安放" not in _texts(result.output)


def test_bookmark_names_round_trip():
    assert bookmark_name("s5.3.item") == "gr_s5_3_item"
