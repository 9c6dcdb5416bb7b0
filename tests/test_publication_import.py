"""Reading a publication back: every bundled profile's document, generated and converted to PDF by LibreOffice,
imports into a workbook whose tables equal the sample's cell by cell, and checks with the same findings."""

from __future__ import annotations

import subprocess
from decimal import Decimal
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from genreport.api import check_workbook, import_publication, init_workbook
from genreport.commands import cli
from genreport.pdf import find_soffice
from genreport.profile import load_profile
from publication_support import blank_or_zero, table_cells
from pdf_support import pdf_of

PROFILES = ["central", "shanghai-district", "shanghai-district-budget"]
needs_office = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")


def _skipped(profile: str) -> set[str]:
    return set(load_profile(profile).catalogue.section("publication_skips"))


def _findings(report, skipped=frozenset()) -> list[tuple[str, str, str]]:
    return sorted((i.code, i.sheet, i.severity) for i in report.issues if i.code not in skipped)


@pytest.mark.slow
@needs_office
@pytest.mark.parametrize("profile", PROFILES)
def test_pdf_round_trip_gives_every_table_cell_back(documents, tmp_path, profile):
    source, _, pdf = documents[profile]
    imported = import_publication(pdf, tmp_path / "导入.xlsx")
    assert imported.profile.id == profile and imported.missing_tables == []
    sample, _ = check_workbook(source)
    back, _ = check_workbook(imported.output)
    expected, actual = table_cells(sample), table_cells(back)
    assert {k: (v, actual.get(k)) for k, v in expected.items() if actual.get(k) != v} == {}
    assert set(actual) == set(expected)
    assert blank_or_zero(actual) == blank_or_zero(expected)  # blank stays blank, 0.00 stays 0.00
    assert back.dept_name == sample.dept_name and back.year == sample.year


@pytest.mark.slow
@needs_office
@pytest.mark.parametrize("profile", PROFILES)
def test_checking_the_pdf_finds_what_checking_the_workbook_finds(documents, profile):
    source, _, pdf = documents[profile]
    _, from_workbook = check_workbook(source)
    _, from_pdf = check_workbook(pdf)
    assert _findings(from_pdf) == _findings(from_workbook, _skipped(profile))
    assert all(i.page.startswith("第 ") and i.cell == "" for i in from_pdf.issues)


@pytest.mark.parametrize("profile", PROFILES)
def test_word_round_trip_gives_every_table_cell_back(generated, tmp_path, profile):
    source, docx = generated[profile]
    imported = import_publication(docx, tmp_path / "导入.xlsx")
    assert imported.profile.id == profile
    sample, _ = check_workbook(source)
    back, _ = check_workbook(imported.output)
    assert table_cells(back) == table_cells(sample)


@pytest.mark.slow
@needs_office
def test_every_imported_cell_is_commented_with_its_page(documents, tmp_path):
    from openpyxl import load_workbook

    imported = import_publication(documents["central"][2], tmp_path / "导入.xlsx")
    sheet = load_workbook(imported.output)["公开02表"]
    total = next(row for row in sheet.iter_rows() if row[1].value == "合计")
    assert total[2].value == pytest.approx(8637.14)
    assert total[2].comment is not None and "第 " in total[2].comment.text and "页" in total[2].comment.text


@pytest.mark.slow
@needs_office
def test_cli_import_check_and_init_from_a_pdf(documents, tmp_path):
    pdf = documents["central"][2]
    runner = CliRunner()
    done = runner.invoke(cli, ["import", str(pdf), "-o", str(tmp_path / "导入.xlsx")])
    assert done.exit_code == 0, done.output
    assert "中央/河南样式" in done.output and (tmp_path / "导入.xlsx").is_file()
    again = _run("import", str(pdf), "-o", str(tmp_path / "导入.xlsx"))
    assert again.returncode == 2 and "已存在" in again.stderr + again.stdout
    checked = runner.invoke(cli, ["check", str(pdf), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    nextyear = init_workbook(tmp_path / "2025.xlsx", last_year=pdf)
    workbook, _ = check_workbook(nextyear)
    assert workbook.year == 2025 and workbook.dept_name == "新乡市行政审批和政务信息管理局"
    assert workbook.value("prior", "general_expense") == Decimal("5998.19")


def test_a_pdf_without_text_is_refused_in_one_sentence(tmp_path):
    scanned = tmp_path / "扫描件.pdf"
    scanned.write_bytes(_blank_pdf())
    result = _run("import", str(scanned), "-o", str(tmp_path / "x.xlsx"))
    assert result.returncode == 2
    assert "扫描件" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_a_document_with_no_table_title_is_refused(tmp_path):
    from docx import Document

    letter = tmp_path / "信.docx"
    document = Document()
    document.add_paragraph("各位同事：本周五下午开会。")
    document.save(str(letter))
    result = _run("import", str(letter), "-o", str(tmp_path / "x.xlsx"))
    assert result.returncode == 2 and "找不到任何一张公开表" in result.stderr


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "genreport", *args], capture_output=True, text=True)


def _blank_pdf() -> bytes:
    """Return a one-page PDF with no text layer (what a scanner without OCR gives, minus the image)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length 23 >>\nstream\n0 0 m 100 100 l S\nendstream"]
    return pdf_of(objects)


@pytest.mark.parametrize("kind", ["docx", pytest.param("pdf", marks=[pytest.mark.slow, needs_office])])
def test_the_web_check_step_accepts_a_publication(request, kind):
    from test_web import client_for, upload

    chosen = request.getfixturevalue("generated" if kind == "docx" else "documents")["central"][1 if kind == "docx" else 2]
    with client_for() as client:
        response = client.post("/api/check", files=upload(chosen, f"2024年部门决算.{kind}"))
    assert response.status_code == 200, response.text
    assert f"2024年部门决算.{kind}：错误 0 处" in response.text and 'data-publication="1"' in response.text
    assert "下载标注副本" not in response.text


def test_the_web_next_year_step_accepts_last_years_publication(generated, tmp_path):
    from test_web import client_for, upload

    with client_for() as client:
        response = client.post("/api/next-year", files=upload(generated["central"][1], "2024年部门决算.docx"))
    assert response.status_code == 200, response.text
    (tmp_path / "next.xlsx").write_bytes(response.content)
    workbook, _ = check_workbook(tmp_path / "next.xlsx")
    assert workbook.year == 2025 and workbook.value("prior", "total") == Decimal("10394.91")


def test_only_the_pdf_reader_imports_pdfplumber_and_only_render_imports_python_docx():
    import ast

    package = Path(__file__).resolve().parent.parent / "cli" / "genreport"
    users: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and not n.level and n.module]
        for name in names:
            if name.split(".")[0] in ("pdfplumber", "pdfminer", "docx"):
                users.setdefault(name.split(".")[0], set()).add(str(path.relative_to(package)))
    assert users["pdfplumber"] == users["pdfminer"] == {"publication/pdf.py"}
    assert all(p.startswith("render/") for p in users["docx"])


@pytest.mark.slow
@needs_office
@pytest.mark.parametrize("profile", PROFILES)
def test_inputs_the_narrative_states_are_read_back_as_the_sample_has_them(documents, tmp_path, profile):
    source, _, pdf = documents[profile]
    sample, _ = check_workbook(source)
    back, _ = check_workbook(import_publication(pdf, tmp_path / "导入.xlsx").output)
    read = {(sheet, name): value.value for sheet, values in back.forms.items() for name, value in values.items()
            if value.value is not None and (sheet, name) != ("profile", "profile")}
    assert len(read) > 5
    # The 绩效目标 sentence reads the same whether the workbook lists the projects or gives their aggregate
    # (绩效目标汇总): read back as the aggregate, it must state the listed projects' count and amount.
    projects = sample.lists.get("performance", [])
    aggregate = {("performance_total", "projects"): len(projects),
                 ("performance_total", "amount"): sum((r["amount"].value for r in projects), Decimal(0))}
    expected = {k: sample.value(*k) if sample.value(*k) is not None or k not in aggregate else aggregate[k]
                for k in read}
    assert {k: (v, expected[k]) for k, v in read.items() if expected[k] != v} == {}
    budgets = {(r["code"].value, r["fund"].value): r["budget"].value for r in back.lists.get("budgets", [])}
    given = {(r["code"].value, r["fund"].value): r["budget"].value for r in sample.lists.get("budgets", [])}
    assert all(given.get(k) == v for k, v in budgets.items()), (budgets, given)


def test_a_table_the_publication_lacks_is_one_finding(generated, tmp_path):
    from docx import Document

    document = Document(str(generated["central"][1]))
    title = load_profile("central").workbook_spec.table("t09").title
    heading = next(p for p in document.paragraphs if p.text == title)
    heading._p.getparent().remove(heading._p)
    shortened = tmp_path / "缺表.docx"
    document.save(str(shortened))
    _, report = check_workbook(shortened)
    missing = [i for i in report.issues if i.code == "publication-table-missing"]
    assert [(i.sheet, i.severity) for i in missing] == [("公开09表", "error")]
    assert title in missing[0].message


def test_a_folder_of_publications_gets_the_batch_summary(generated, tmp_path):
    import json
    import shutil

    from docx import Document

    folder = tmp_path / "公开文本"
    (folder / "区县").mkdir(parents=True)
    shutil.copy(generated["central"][1], folder / "甲部门.docx")
    broken = Document(str(generated["shanghai-district"][1]))
    heading = next(p for p in broken.paragraphs if p.text.endswith("收入决算表"))
    heading._p.getparent().remove(heading._p)
    broken.save(str(folder / "区县" / "乙部门.docx"))
    (folder / "说明.txt").write_text("不是公开文本", encoding="utf-8")
    result = _run("check", str(folder), "-o", str(tmp_path / "结果"))
    assert result.returncode == 1, result.stderr
    assert "检查通过：" in result.stdout and "有错误：" in result.stdout
    summary = json.loads((tmp_path / "结果" / "汇总.json").read_text(encoding="utf-8"))
    rows = {Path(item["file"]).name: item for item in summary["items"]}
    assert sorted(rows) == ["乙部门.docx", "甲部门.docx"]
    assert rows["甲部门.docx"]["status_label"] == "检查通过" and rows["甲部门.docx"]["year"] == 2024
    assert rows["乙部门.docx"]["status_label"] == "有错误"
    assert any("收入决算表" in p["message"] for p in rows["乙部门.docx"]["problems"])
    assert (tmp_path / "结果" / "汇总.xlsx").is_file()
    assert _run("check", str(folder)).returncode == 2  # a folder needs -o for its summary
