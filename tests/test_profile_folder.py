"""An exported profile folder is a whole profile: template check proves it, check/keys/init work with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document

from _hostile import run_cli

PROFILES = ["central", "shanghai-district", "shanghai-district-budget"]


def _export(tmp_path, profile):
    folder = tmp_path / profile
    run = run_cli("template", "export", "--profile", profile, folder)
    assert run.code == 0, run.text
    return folder


@pytest.mark.parametrize("profile", PROFILES)
def test_a_freshly_exported_profile_has_no_findings_and_lists_its_keys(tmp_path, profile):
    folder = _export(tmp_path, profile)
    checked = run_cli("template", "check", folder)
    assert checked.code == 0 and "未发现问题" in checked.text, checked.text
    keys = run_cli("template", "keys", "--profile", folder)
    assert keys.code == 0 and "s1" in keys.text, keys.text


def test_check_takes_an_exported_profile_folder(tmp_path, sample_path):
    folder = _export(tmp_path, "central")
    run = run_cli("check", sample_path, "--profile", folder)
    assert run.code == 0, run.text


def test_a_sample_relative_to_the_profile_folder_is_used_by_template_check_and_keys(tmp_path, sample_path):
    folder = _export(tmp_path, "central")
    shutil.copy(sample_path, folder / "样例.xlsx")
    profile = folder / "workbook_specs" / "profiles" / "central.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "sample: xinxiang-2024/workbook.xlsx", "sample: 样例.xlsx"), encoding="utf-8")
    assert run_cli("template", "check", folder).code == 0
    keys = run_cli("template", "keys", "--profile", folder)
    assert keys.code == 0 and "s1" in keys.text, keys.text
    profile.write_text(profile.read_text(encoding="utf-8").replace("sample: 样例.xlsx", "sample: 不存在的样例.xlsx"),
                       encoding="utf-8")
    missing = run_cli("template", "check", folder)
    assert missing.code == 2 and "不存在的样例.xlsx" in missing.text and len(missing.text.strip().splitlines()) == 1


def test_template_check_proves_a_new_figure_of_the_folders_own_spec(tmp_path):
    folder = _export(tmp_path, "shanghai-district")   # no sample: a plausible workbook made from its spec
    spec = folder / "workbook_specs" / "shanghai.yaml"
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    data["figures"]["basic_share"] = "share(t05.total.basic, t05.total.total)"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    template = folder / "shanghai-district.docx"
    doc = Document(str(template))
    paragraph = next(p for p in doc.paragraphs if p.runs and "{{" in p.text)
    paragraph.runs[-1].text += "{{ fig.basic_share|pct }}{{ fig.basic_shar|pct }}"
    doc.save(str(template))
    checked = run_cli("template", "check", folder)
    assert checked.code == 1 and "basic_shar”不是可用的字段" in checked.text and checked.text.count("[") == 1, \
        checked.text


def test_a_workbook_made_from_a_folder_profile_finds_it_again(tmp_path):
    folder = _export(tmp_path, "shanghai-district")
    blank = tmp_path / "空白.xlsx"
    assert run_cli("init", "--profile", folder, "-o", blank).code == 0
    run = run_cli("check", blank)
    assert run.code == 1 and "没有名为" not in run.text and "profile-mismatch" not in run.text, run.text
    assert "required-missing" in run.text


def test_a_sample_that_does_not_fit_the_profile_is_one_sentence(tmp_path):
    folder = _export(tmp_path, "central")
    shutil.copy(Path(__file__).resolve().parent.parent / "samples" / "putuo-2025-budget" / "workbook.xlsx",
                folder / "样例.xlsx")
    profile = folder / "workbook_specs" / "profiles" / "central.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "sample: xinxiang-2024/workbook.xlsx", "sample: 样例.xlsx"), encoding="utf-8")
    run = run_cli("template", "check", folder)
    assert run.code == 2 and "样例工作簿" in run.text and "与样式的工作簿说明不符" in run.text, run.text
    assert len(run.text.strip().splitlines()) == 1 and "程序内部出错" not in run.text


def test_a_workbook_made_before_an_optional_table_was_added_still_reads_and_generates(tmp_path, sample_path):
    """A region adds a table (optional: true) and a figure from it; last month's workbooks lack the sheet."""
    folder = _export(tmp_path, "central")
    spec = folder / "workbook_specs" / "standard.yaml"
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    extra = {**next(t for t in data["tables"] if t["id"] == "t09"), "id": "t10", "sheet": "补充表", "optional": True,
             "title": "补充表", "number": "公开10表"}
    data["tables"].append(extra)
    data["figures"]["extra_total"] = "t10.row.actual_total + t09.row.actual_total"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    template = folder / "report.docx"
    doc = Document(str(template))
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("{{ year }}年度收、支总计均为"))
    paragraph.runs[-1].text += "（补充：{{ fig.extra_total|wan }}万元）"
    doc.save(str(template))
    assert run_cli("check", sample_path, "--profile", folder).code == 0
    out = tmp_path / "out"
    run = run_cli(sample_path, "--template", folder, "-o", out)
    assert run.code == 0, run.text
    text = "\n".join(p.text for p in Document(str(next(out.glob("*.docx")))).paragraphs)
    from genreport.api import check_workbook

    workbook, _ = check_workbook(sample_path)
    assert f"（补充：{workbook.tables['t09'].amount('row', 'actual_total'):,}万元）" in text
