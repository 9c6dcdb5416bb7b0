"""Editors' work is never lost: a document edited after genreport wrote it is not silently replaced."""

from __future__ import annotations

import pytest
from docx import Document

from genreport.api import generate_report
from genreport.commands import main
from genreport.errors import OutputError


def _edit(path, words="编辑加的一句话。"):
    document = Document(str(path))
    document.add_paragraph(words)
    document.save(str(path))


@pytest.fixture
def generated(sample_path, tmp_path):
    return generate_report(sample_path, tmp_path / "报告.docx").output


def test_an_untouched_document_is_regenerated(sample_path, generated):
    again = generate_report(sample_path, generated)
    assert again.output == generated and again.backup is None


def test_an_edited_document_is_refused_with_how_to_proceed(sample_path, generated, capsys):
    _edit(generated)
    before = generated.read_bytes()
    with pytest.raises(SystemExit) as exit_info:
        main([str(sample_path), "-o", str(generated)])
    message = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert "在生成后被修改过" in message and "--force" in message and "-o" in message
    assert generated.read_bytes() == before


def test_force_replaces_it_and_keeps_the_edited_one_as_backup(sample_path, generated):
    _edit(generated)
    result = generate_report(sample_path, generated, force=True)
    assert result.backup is not None and result.backup.parent == generated.parent
    assert "编辑加的一句话。" in [p.text for p in Document(str(result.backup)).paragraphs]
    assert "编辑加的一句话。" not in [p.text for p in Document(str(generated)).paragraphs]
    assert generate_report(sample_path, generated).backup is None  # the new one is stamped again


def test_a_document_genreport_did_not_write_is_refused(sample_path, tmp_path):
    foreign = tmp_path / "别人的.docx"
    Document().save(str(foreign))
    with pytest.raises(OutputError, match="不是 genreport 生成的"):
        generate_report(sample_path, foreign)
