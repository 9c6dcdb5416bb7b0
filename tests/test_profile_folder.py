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


def _fill_by_labels(path):
    """Fill a blank workbook as a person does: find each place by the header or label the sheet shows."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    cover = book["封面概况"]
    row = next(r for r in range(1, cover.max_row + 1) if cover.cell(r, 1).value == "部门名称")
    cover.cell(row, 2).value = "某某局"
    table = book["公开05表"]
    top = next(r for r in range(1, 30) if table.cell(r, 1).value == "功能分类科目编码")
    columns = {table.cell(top + 1, c).value: c for c in range(1, 8)}
    total = next(r for r in range(top, top + 10) if table.cell(r, 2).value == "合计")
    for column, amount in (("小计", 30), ("基本支出", 10), ("项目支出", 20)):
        table.cell(total, columns[column]).value = amount
        table.cell(total + 1, columns[column]).value = amount
    table.cell(total + 1, 1).value, table.cell(total + 1, 2).value = "2010101", "行政运行"
    budgets = book["年初预算"]
    header = next(r for r in range(1, 20) if budgets.cell(r, 2).value == "科目编码")
    columns = {budgets.cell(header, c).value: c for c in range(1, 10)}
    budgets.cell(header + 1, columns["科目编码"]).value = "2010101"
    budgets.cell(header + 1, columns["年初预算数"]).value = 28
    book.save(path)


def _rename(folder, former):
    """Rename a table header cell, a form label and a list header in the exported spec (former: keep the old text)."""
    spec = folder / "workbook_specs" / "standard.yaml"
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    tables = {t["id"]: t for t in data["tables"]}
    inputs = {i["id"]: i for i in data["inputs"]}
    header = tables["t05"]["header"]
    header[0][0] = {**header[0][0], "text": "支出功能分类科目编码"}
    header[1][1] = {"text": "基本支出决算数"}
    dept = next(f for f in inputs["profile"]["fields"] if f["id"] == "dept_name")
    dept["label"] = "单位名称"
    code = next(c for c in inputs["budgets"]["columns"] if c["id"] == "code")
    code["header"] = "功能分类科目编码"
    if former:
        header[0][0]["formerly"] = ["功能分类科目编码"]
        header[1][1]["formerly"] = ["基本支出"]
        dept["formerly"] = ["部门名称"]
        code["formerly"] = ["科目编码"]
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("former", [False, True], ids=["renamed", "renamed-with-formerly"])
def test_a_workbook_made_before_a_header_rename_still_reads_checks_and_generates(tmp_path, sample_path, former):
    """A region renames headers and labels in its spec and lists the old texts under `formerly`: last month's
    workbooks (made with init and filled by their labels, or the seed sample) read, check and generate as before."""
    folder = _export(tmp_path, "central")
    made = tmp_path / "上月.xlsx"
    assert run_cli("init", "-o", made, "--profile", folder).code == 0
    _fill_by_labels(made)
    _rename(folder, former)
    checked = run_cli("check", made, "--format", "json")
    layout = ("header-not-found", "header-mismatch", "missing-field", "missing-column", "profile-mismatch")
    if not former:  # without the old texts the renamed headers do not match: the workbook is refused, saying why
        assert checked.code == 1 and "header-not-found" in checked.text and "profile-mismatch" not in checked.text
        assert "找不到表头“支出功能分类科目编码”" in checked.text, checked.text
        return
    assert checked.code == 1 and not any(code in checked.text for code in layout), checked.text
    from genreport.api import check_workbook

    workbook, _ = check_workbook(made)
    assert workbook.value("profile", "dept_name") == "某某局"
    t05 = workbook.tables["t05"]
    assert [t05.amount("total", c) for c in ("total", "basic", "project")] == [30, 10, 20]
    assert [(r["code"].value, r["budget"].value) for r in workbook.lists["budgets"]] == [("2010101", 28)]
    assert run_cli("check", sample_path, "--profile", folder).code == 0
    out = tmp_path / "out"
    generated = run_cli(sample_path, "--template", folder, "-o", out)
    assert generated.code == 0, generated.text
    document = Document(str(next(out.glob("*.docx"))))
    assert any(c.text.replace("\n", "") == "支出功能分类科目编码" for t in document.tables for c in t.rows[0].cells)


def test_a_former_label_that_is_another_fields_label_is_one_sentence(tmp_path, sample_path):
    folder = _export(tmp_path, "central")
    spec = folder / "workbook_specs" / "standard.yaml"
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    fields = next(i for i in data["inputs"] if i["id"] == "profile")["fields"]
    next(f for f in fields if f["id"] == "dept_name")["formerly"] = ["年度"]
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run = run_cli("check", sample_path, "--profile", folder)
    assert run.code == 2 and len(run.text.strip().splitlines()) == 1, run.text
    assert "standard.yaml" in run.text and "“年度”是两个项目的名称或旧名称（formerly）" in run.text
