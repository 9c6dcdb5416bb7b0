"""Choosing the 报告样式: a dropdown of Chinese titles, one finding for a workbook of another layout, clean hints."""

from __future__ import annotations

import openpyxl
import pytest

from genreport.api import check_workbook, init_workbook
from genreport.profile import list_profiles
from genreport.spec import load_spec


def _cover_cell(path, label="报告样式"):
    sheet = openpyxl.load_workbook(path)["封面概况"]
    row = next(r for r in sheet.iter_rows() if r[0].value == label)
    return sheet, row[1]


@pytest.mark.parametrize("profile", ["central", "shanghai-district"])
def test_the_profile_cell_shows_the_title_with_a_dropdown_of_all_titles(profile, tmp_path):
    path = init_workbook(tmp_path / "新.xlsx", profile=profile)
    sheet, cell = _cover_cell(path)
    titles = [p.title for p in list_profiles()]
    assert cell.value == next(p.title for p in list_profiles() if p.id == profile)
    rules = [v for v in sheet.data_validations.dataValidation if cell.coordinate in v.sqref]
    assert [r.formula1 for r in rules] == ['"' + ",".join(titles) + '"']
    assert not rules[0].showErrorMessage  # an id typed by hand is still accepted
    assert check_workbook(path)[1].profile == profile


def test_ids_are_still_accepted(make_workbook):
    def use_id(data):
        data["forms"]["profile"]["profile"] = "central"

    assert check_workbook(make_workbook(use_id))[1].profile == "central"


def test_a_central_workbook_naming_the_shanghai_style_gets_one_finding(make_workbook):
    def choose_shanghai(data):
        data["forms"]["profile"]["profile"] = "上海区级样式"

    _, report = check_workbook(make_workbook(choose_shanghai))
    assert [i.code for i in report.issues] == ["profile-mismatch"]
    issue = report.issues[0]
    assert "“上海区级样式”" in issue.message and "“中央/河南样式”" in issue.message
    assert "genreport init --profile shanghai-district" in issue.message
    assert issue.where == "封面概况!B6"


def test_the_central_workbook_has_no_rows_of_another_profile():
    for field in (f for i in load_spec("standard").inputs for f in i.fields):
        assert "上海" not in field.label + field.hint, field.id
    shanghai = {f.id for f in load_spec("shanghai").input("reasons").fields}
    assert {"abroad_change", "performance_text"} <= shanghai


@pytest.mark.parametrize("profile", ["central", "shanghai-district"])
def test_no_hint_repeats_its_first_word(profile, tmp_path):
    book = openpyxl.load_workbook(init_workbook(tmp_path / "新.xlsx", profile=profile))
    texts = [c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    texts += [c.comment.text for ws in book for row in ws.iter_rows() for c in row if c.comment]
    texts += [v.prompt or "" for ws in book for v in ws.data_validations.dataValidation]
    doubled = [t for t in texts for w in ("选填", "必填") if f"{w}。{w}" in t or f"{w}；{w}" in t]
    assert doubled == []


def test_a_folder_named_like_an_installed_profile_does_not_hide_it(tmp_path, monkeypatch):
    """A user's own folder called `central` (not an exported profile) beside the workbook changes nothing."""
    from genreport.profile import list_profiles, load_profile

    (tmp_path / "central").mkdir()
    (tmp_path / "central" / "2024年报表.xlsx").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    assert [p.id for p in list_profiles()][0] == "central"
    assert load_profile("central").root is None
