"""One load per document (issue 31): LibreOffice answers the 目录 of the loaded document, genreport fills the .docx
while the same document is exported to PDF; the office starts from the user's prepared profile, early."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

import genreport.office as office_module
import genreport.pdf as pdf
from genreport.api import generate_report
from genreport.office import PROFILE_PREFIX, Office, OfficeFailed
from genreport.render.fingerprint import unchanged_since_written

REAL_OFFICE = pytest.mark.skipif(pdf.find_soffice() is None or pdf.find_uno_python(pdf.find_soffice()) is None,
                                 reason="LibreOffice (soffice) with python3-uno not installed")

#: A stand-in for office_worker.py speaking its protocol: each job is answered with one 目录 line, then fails
#: (JOBS_FAIL) or succeeds, writing a PDF when asked.
FAKE_WORKER = textwrap.dedent('''
    import json, os, sys
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        print(json.dumps({"entries": [[1, "第一部分 概况", "3"]]}), flush=True)
        if os.environ.get("JOBS_FAIL"):
            print(json.dumps({"ok": False, "error": "RuntimeException: export failed"}), flush=True)
            continue
        if job.get("pdf"):
            open(job["pdf"], "wb").write(b"%PDF-1.4 fake")
        print(json.dumps({"ok": True}), flush=True)
''')


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """genreport's temporary folders (and the prepared profile) under tmp_path."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setenv("TMPDIR", str(root))
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    yield root
    pdf.close_offices()


@pytest.fixture
def fake_office(tmp_path, monkeypatch, temp_root):
    """LibreOffice replaced by FAKE_WORKER (the soffice program it is given does nothing)."""
    worker = tmp_path / "fake_worker.py"
    worker.write_text(FAKE_WORKER, encoding="utf-8")
    soffice = tmp_path / "soffice"
    soffice.write_text("#!/bin/sh\nexit 0\n")
    soffice.chmod(0o755)
    monkeypatch.setattr(office_module, "WORKER", worker)
    monkeypatch.setenv("GENREPORT_SOFFICE", str(soffice))
    monkeypatch.setattr(pdf, "find_uno_python", lambda program: sys.executable)
    pdf.close_offices()
    return soffice


@pytest.fixture(scope="module")
def report(sample_path, tmp_path_factory) -> Path:
    return generate_report(sample_path, tmp_path_factory.mktemp("stream") / "报告.docx").output


def test_an_export_failing_after_the_toc_was_read_leaves_the_docx_filled_and_says_so(report, tmp_path, fake_office,
                                                                                     monkeypatch):
    monkeypatch.setenv("JOBS_FAIL", "1")
    docx = tmp_path / "报告.docx"
    docx.write_bytes(report.read_bytes())
    result = pdf.finish_document(docx, pdf=True)
    assert result.toc_filled and result.failed and result.pdf is None
    assert result.notes == ["LibreOffice 未能处理文档（RuntimeException: export failed）。PDF 未生成。"]
    assert unchanged_since_written(docx)  # filled under a renewed fingerprint
    assert not docx.with_suffix(".pdf").exists()


def test_a_failure_while_filling_is_raised_once_the_office_has_answered_and_the_office_goes_on(report, tmp_path,
                                                                                             fake_office):
    office = Office(sys.executable, str(fake_office), pdf.office_env)
    docx = tmp_path / "a.docx"
    docx.write_bytes(report.read_bytes())

    def refuse(entries: list) -> None:
        raise OSError("disk full")

    try:
        with pytest.raises(OSError, match="disk full"):
            office.convert(docx, True, 30, on_entries=refuse)
        worker = office.process.pid
        entries, made = office.convert(docx, True, 30)
        assert entries == [[1, "第一部分 概况", "3"]] and made.read_bytes().startswith(b"%PDF")
        assert office.process.pid == worker  # the same office answered the next document in step
    finally:
        office.close()


def test_an_office_that_cannot_start_in_the_background_is_reported_by_the_next_document(tmp_path, fake_office,
                                                                                         monkeypatch):
    broken = tmp_path / "broken_worker.py"
    broken.write_text("import sys\nsys.exit(3)\n", encoding="utf-8")
    monkeypatch.setattr(office_module, "WORKER", broken)
    office = Office(sys.executable, str(fake_office), pdf.office_env)
    office.start_quietly()
    assert isinstance(office.start_failed, OfficeFailed)
    with pytest.raises(OfficeFailed, match="意外退出"):
        office.convert(tmp_path / "none.docx", True, 30)
    office.close()


def test_the_toc_levels_are_read_from_the_generated_docx(report):
    levels = pdf.toc_levels(report)
    assert levels and set(levels) == {1, 2} and levels[0] == 1


@REAL_OFFICE
def test_the_toc_read_in_one_call_equals_the_toc_read_line_by_line(report, tmp_path, temp_root):
    office = Office(pdf.find_uno_python(pdf.find_soffice()), pdf.find_soffice(), pdf.office_env)
    try:
        fast, made = office.convert(report, True, pdf.TIMEOUT_SECONDS, levels=pdf.toc_levels(report))
        assert made.read_bytes().startswith(b"%PDF")
        slow, _ = office.convert(report, False, pdf.TIMEOUT_SECONDS)
        wrong, _ = office.convert(report, False, pdf.TIMEOUT_SECONDS, levels=[1])  # a count that does not match
    finally:
        office.close()
    assert fast == slow == wrong and len(fast) == len(pdf.toc_levels(report))
    assert all(page.isdigit() for _, _, page in fast)


@REAL_OFFICE
def test_each_office_starts_from_a_copy_of_one_prepared_profile_that_never_sees_a_document(sample_path, tmp_path,
                                                                                           temp_root):
    pdf.start_soon()  # started in the background, before any document
    (office,) = pdf._offices.values()
    with office.lock:
        assert office.process is not None and office.process.poll() is None
        assert (office.folder / "profile" / "user" / "registrymodifications.xcu").is_file()
    first = generate_report(sample_path, tmp_path / "a.docx", pdf=True)
    pdf.close_offices()
    second = generate_report(sample_path, tmp_path / "b.docx", pdf=True)
    assert first.office.pdf and second.office.pdf and first.office.toc_filled and second.office.toc_filled
    user = temp_root / f"genreport-{os.getuid()}"
    (prepared,) = [p for p in user.iterdir() if p.name.startswith(PROFILE_PREFIX)]
    modes = {p: stat.S_IMODE(os.lstat(p).st_mode) for p in [prepared, *prepared.rglob("*")]}
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes
    traces = (b"report.docx", b"report.pdf", b"job1", b"a.docx")  # the copy LibreOffice opened, its PDF, ours
    assert not [p for p in modes if p.is_file() and any(trace in p.read_bytes() for trace in traces)]
