"""LibreOffice is supervised: given up after its timeout, killed with genreport, or refused up front, it leaves
no process, profile, lock file or temporary folder behind; one office serves many documents, each loaded once
(issue 31: the 目录 is answered and filled while the same document is exported), started early from a prepared
profile."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

import genreport.office as office_module
import genreport.pdf as pdf
from genreport.api import generate_report
from genreport.office import PROFILE_PREFIX, Office, OfficeFailed
from genreport.render.fingerprint import unchanged_since_written
from process_support import processes_mentioning

REAL_OFFICE = pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) not installed")
UNO_OFFICE = pytest.mark.skipif(pdf.find_soffice() is None or pdf.find_uno_python(pdf.find_soffice()) is None,
                                reason="LibreOffice (soffice) with python3-uno not installed")


def _leftovers(root: Path) -> list[str]:
    """Return what is under root except the per-user folder itself (genreport-<uid>) and the prepared LibreOffice
    profile in it, both kept for the next run."""
    user = root / f"genreport-{os.getuid()}"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p != user and not (p.is_relative_to(user) and p.relative_to(user).parts[0].startswith(PROFILE_PREFIX)))


def _settle(root: Path, seconds: float = 30) -> None:
    """Wait until nothing mentions root any more (or seconds pass)."""
    deadline = time.monotonic() + seconds
    while (processes_mentioning(root) or _leftovers(root)) and time.monotonic() < deadline:
        time.sleep(0.2)


def _locks(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".~lock.")]


@REAL_OFFICE
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_document_over_its_timeout_ends_libreoffice_and_everything_it_made(sample_path, tmp_path, temp_root,
                                                                             monkeypatch):
    monkeypatch.setattr(pdf, "TIMEOUT_SECONDS", 0.3)
    out = tmp_path / "out"
    out.mkdir()
    result = generate_report(sample_path, out, pdf=True)
    assert result.output.is_file() and result.office.failed and result.office.pdf is None
    assert any("超过" in note for note in result.office.notes)
    _settle(temp_root)
    assert processes_mentioning(temp_root) == []
    assert _leftovers(temp_root) == [] and _locks(out) == [] and not list(out.glob("*.pdf"))


@REAL_OFFICE
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_genreport_during_pdf_leaves_no_office_and_no_temp_folder(sample_path, tmp_path, temp_root):
    out = tmp_path / "out"
    env = {**os.environ, "TMPDIR": str(temp_root)}
    run = subprocess.Popen([sys.executable, "-m", "genreport", str(sample_path), "-o", str(out), "--pdf"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while not (any("soffice" in _name(pid) for pid in processes_mentioning(temp_root))
               and list(temp_root.glob("*/office-*/job*/report.docx"))):  # LibreOffice has the document
        assert run.poll() is None and time.monotonic() < deadline, "LibreOffice never got the document"
        time.sleep(0.05)
    time.sleep(0.2)  # let it open the document
    run.send_signal(signal.SIGKILL)
    run.wait()
    _settle(temp_root)
    assert processes_mentioning(temp_root) == []
    assert _leftovers(temp_root) == [] and _locks(out) == []


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
    except OSError:
        return ""


def test_a_paragraph_too_long_to_lay_out_is_refused_before_libreoffice_starts(tmp_path, monkeypatch):
    limit = getattr(pdf, "MAX_PARAGRAPH_CHARS", 100_000)
    marker = tmp_path / "office-was-started"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\ntouch {marker}\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("GENREPORT_SOFFICE", str(fake))
    docx = tmp_path / "long.docx"
    document = Document()
    document.add_paragraph("短段落。")
    document.add_paragraph("情况说明" * (limit // 4 + 1))
    document.save(str(docx))
    result = pdf.finish_document(docx, pdf=True)
    assert result.failed and result.pdf is None and not marker.exists()
    assert any(f"{limit + 4:,} 字" in note and "分成较短的几段" in note for note in result.notes)
    assert pdf.longest_paragraph(docx) == limit + 4


@REAL_OFFICE
def test_one_office_converts_several_documents_and_is_restarted_after_it_dies(sample_path, tmp_path, temp_root):
    first = generate_report(sample_path, tmp_path / "a.docx", pdf=True)
    assert first.office.pdf is not None and first.office.toc_filled, first.office.notes
    (office,) = pdf._offices.values()
    worker = office.process.pid
    second = generate_report(sample_path, tmp_path / "b.docx", pdf=True)
    assert second.office.pdf is not None and office.process.pid == worker  # the same LibreOffice
    assert list(office.folder.glob("job*")) == []  # no copy is kept after its job
    os.killpg(worker, signal.SIGKILL)  # LibreOffice dies between documents
    office.process.wait()
    third = generate_report(sample_path, tmp_path / "c.docx", pdf=True)
    assert third.office.pdf is not None and third.office.toc_filled and office.process.pid != worker
    assert _locks(tmp_path) == []
    pdf.close_offices()
    _settle(temp_root)
    assert _leftovers(temp_root) == []


# ---- one load per document, an early start from a prepared profile (issue 31) ---------------------------


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
    docx.write_bytes(report.read_bytes())
    only_toc = pdf.finish_document(docx, toc=True)
    assert only_toc.toc_filled and only_toc.notes == ["LibreOffice 未能处理文档（RuntimeException: export failed）。"]


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


@UNO_OFFICE
def test_the_toc_read_in_one_call_equals_the_toc_read_line_by_line(report, tmp_path, temp_root):
    office = Office(pdf.find_uno_python(pdf.find_soffice()), pdf.find_soffice(), pdf.office_env)
    try:
        fast, made = office.convert(report, True, pdf.TIMEOUT_SECONDS, levels=pdf.toc_levels(report))
        assert made.read_bytes().startswith(b"%PDF")
        slow, _ = office.convert(report, False, pdf.TIMEOUT_SECONDS)
        wrong, _ = office.convert(report, False, pdf.TIMEOUT_SECONDS, levels=[1])  # a count that does not match
        marked, _ = office.convert(report, False, pdf.TIMEOUT_SECONDS, levels=[9] * len(fast))
    finally:
        office.close()
    assert fast == slow == wrong and len(fast) == len(pdf.toc_levels(report))
    assert marked == [[9, text, page] for _, text, page in slow]  # the levels given were used: the one-call read
    assert all(page.isdigit() for _, _, page in fast)


@UNO_OFFICE
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


@UNO_OFFICE
def test_a_refused_pdf_report_leaves_no_libreoffice_running(make_workbook, tmp_path, temp_root):
    """LibreOffice starts while the workbook is checked; a workbook whose errors refuse it does not keep it running
    (on the web, a warm worker that served it would otherwise be retired)."""
    def broken(data):
        next(r for r in data["tables"]["t05"]["rows"] if r["code"] == "201")["basic"] = Decimal("985.28")

    made = generate_report(make_workbook(broken, name="有错误.xlsx"), tmp_path / "out.docx", pdf=True)
    assert made.output is None and not made.report.valid
    assert pdf._offices == {}
    _settle(temp_root)
    assert processes_mentioning(temp_root) == []
