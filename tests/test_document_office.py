"""The LibreOffice step without a real office: missing soffice, an office that writes nothing, fonts, TOC filling."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

import genreport.pdf as pdf
from genreport.api import generate_report
from genreport.commands import cli
from genreport.render.toc import fill_toc


def test_without_libreoffice_the_docx_is_written_and_the_user_told_how_to_install(sample_path, tmp_path, monkeypatch):
    monkeypatch.setenv("GENREPORT_SOFFICE", str(tmp_path / "no-soffice"))
    result = CliRunner().invoke(cli, ["generate", str(sample_path), "-o", str(tmp_path), "--pdf"])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.docx"))) == 1 and not list(tmp_path.glob("*.pdf"))
    assert "未找到 LibreOffice" in result.output and "apt-get install libreoffice-writer-nogui" in result.output


def test_an_office_that_exits_0_without_a_pdf_is_reported(sample_path, tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("GENREPORT_SOFFICE", str(fake))
    monkeypatch.setattr(pdf, "find_uno_python", lambda soffice: None)
    result = generate_report(sample_path, tmp_path / "out", pdf=True)
    assert result.output.is_file()
    assert result.office.failed and result.office.pdf is None
    assert any("没有生成 PDF" in note for note in result.office.notes)
    assert any("python3-uno" in note for note in result.office.notes)
    cli_run = CliRunner().invoke(cli, ["generate", str(sample_path), "-o", str(tmp_path / "cli"), "--pdf"])
    assert cli_run.exit_code == 2


def test_fontconfig_maps_the_official_font_names_to_noto_cjk_sc(tmp_path):
    conf = pdf.fontconfig_file(tmp_path).read_text(encoding="utf-8")
    assert "/etc/fonts/fonts.conf" in conf
    for name in ("仿宋_GB2312", "宋体", "方正小标宋简体", "楷体_GB2312", "黑体"):
        assert f"<family>{name}</family>" in conf
    if shutil.which("fc-match") is None or subprocess.run(["fc-list", "Noto Serif CJK SC"], capture_output=True,
                                                          text=True).stdout == "":
        pytest.skip("fontconfig or fonts-noto-cjk not installed")
    env = pdf.office_env(tmp_path)
    for name, family in (("仿宋_GB2312", "Noto Serif CJK SC"), ("黑体", "Noto Sans CJK SC")):
        matched = subprocess.run(["fc-match", "-f", "%{family}", name], env=env, capture_output=True, text=True)
        assert family in matched.stdout


def test_fill_toc_writes_the_pages_and_keeps_the_fields(sample_path, tmp_path):
    docx = generate_report(sample_path, tmp_path).output
    before = [p for p in Document(str(docx)).paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    titles = [p.text.rpartition("\t")[0] for p in before]
    assert titles[0].startswith("第一部分") and all(p.text.endswith("\t") for p in before)  # no page yet
    assert fill_toc(docx, [[title, str(number)] for number, title in enumerate(titles, 1)])
    toc = [p for p in Document(str(docx)).paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    assert [p.text for p in toc] == [f"{title}\t{number}" for number, title in enumerate(titles, 1)]
    assert [p.style.name for p in toc] == [p.style.name for p in before]
    kinds = [c.get(qn("w:fldCharType")) for p in toc for c in p._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", *["begin", "separate", "end"] * len(toc), "end"]  # the 目录 and each PAGEREF
    codes = [t.text.strip() for p in toc for t in p._p.iter(qn("w:instrText"))]
    assert codes[0].startswith("TOC") and all(code.startswith("PAGEREF _Toc") for code in codes[1:])


def test_fill_toc_leaves_a_document_whose_lines_are_not_the_ones_given_untouched(sample_path, tmp_path):
    docx = generate_report(sample_path, tmp_path).output
    before = docx.read_bytes()
    titles = [p.text.rpartition("\t")[0] for p in Document(str(docx)).paragraphs if p.style.name.startswith("TOC")]
    assert not fill_toc(docx, [[title, "1"] for title in titles[:-1]])  # one line short
    assert not fill_toc(docx, [["第一部分 别的部门", "1"], *[[title, "1"] for title in titles[1:]]])
    assert not fill_toc(docx, [])
    assert docx.read_bytes() == before
