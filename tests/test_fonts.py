"""--pdf says once which 公文 fonts the machine lacks and what replaced them in the PDF."""

from __future__ import annotations

import pytest

from genreport import fonts
from genreport.api import generate_report


@pytest.fixture(scope="module")
def document(sample_path, tmp_path_factory):
    return generate_report(sample_path, tmp_path_factory.mktemp("fonts") / "报告.docx").output


def test_the_missing_fonts_are_named_with_their_replacements(document, monkeypatch):
    monkeypatch.setattr(fonts, "installed_families", lambda: {"Noto Serif CJK SC", "Noto Sans CJK SC"})
    note = fonts.substitution_note(document)
    assert note is not None and note.count("本机没有安装字体") == 1
    assert "仿宋_GB2312→Noto Serif CJK SC" in note and "黑体→Noto Sans CJK SC" in note


def test_no_note_when_the_fonts_are_installed(document, monkeypatch):
    monkeypatch.setattr(fonts, "installed_families", lambda: set(fonts.document_fonts(document)))
    assert fonts.substitution_note(document) is None


def test_no_note_without_fontconfig(document, monkeypatch):
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    assert fonts.substitution_note(document) is None
