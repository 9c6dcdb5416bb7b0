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
from docx.oxml.ns import qn

import genreport.office as office_module
import genreport.pdf as pdf
from genreport.api import generate_report
from genreport.office import PROFILE_PREFIX, Office, OfficeFailed
from genreport.officepipes import held_pipes
from genreport.render.fingerprint import unchanged_since_written
from genreport.render.toc import LINES, office_copy
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


#: A stand-in for office_worker.py speaking its protocol: each job fails while the file JOBS_FAIL exists, else
#: writes a PDF and answers the copy's 目录 lines, each on page 3.
FAKE_WORKER = textwrap.dedent('''
    import json, os, sys
    from docx import Document
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        if os.path.exists(os.environ.get("JOBS_FAIL", "/nonexistent")):
            print(json.dumps({"ok": False, "error": "RuntimeException: export failed"}), flush=True)
            continue
        titles = [p.text.rpartition("\\t")[0] for p in Document(job["docx"]).paragraphs
                  if p.style.name.startswith("TOC") and "\\t" in p.text]
        open(job["pdf"], "wb").write(b"%PDF-1.4 fake")
        print(json.dumps({"ok": True, "lines": [[title, "3"] for title in titles]}), flush=True)
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


def test_a_document_the_office_fails_on_is_left_as_written_and_the_office_goes_on(report, tmp_path, fake_office,
                                                                                  monkeypatch):
    failing = tmp_path / "fail-now"
    monkeypatch.setenv("JOBS_FAIL", str(failing))
    docx = tmp_path / "报告.docx"
    docx.write_bytes(report.read_bytes())
    failing.touch()
    result = pdf.finish_document(docx, pdf=True)
    assert not result.toc_filled and result.failed and result.pdf is None
    assert result.notes == ["LibreOffice 未能处理文档（RuntimeException: export failed）。目录页码未填写，PDF 未生成。"]
    assert docx.read_bytes() == report.read_bytes() and not docx.with_suffix(".pdf").exists()
    only_toc = pdf.finish_document(docx, toc=True)
    assert only_toc.notes == ["LibreOffice 未能处理文档（RuntimeException: export failed）。目录页码未填写。"]
    (office,) = pdf._offices.values()
    worker = office.process.pid
    failing.unlink()
    made = pdf.finish_document(docx, pdf=True)  # the same office answers the next document in step
    assert made.toc_filled and made.pdf.read_bytes().startswith(b"%PDF") and office.process.pid == worker
    assert unchanged_since_written(docx)  # filled under a renewed fingerprint
    pages = [p.text.rpartition("\t")[2] for p in Document(str(docx)).paragraphs if p.style.name.startswith("TOC")]
    assert pages and set(pages) == {"3"}


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


def test_the_copy_libreoffice_lays_out_has_the_toc_lines_as_text_with_live_page_fields(report, tmp_path):
    """The copy keeps every 目录 line and its PAGEREF field but not the 目录 field around them (LibreOffice would keep
    that field's lines as saved), and marks the lines with one bookmark; the document itself is not touched."""
    before = report.read_bytes()
    copy = tmp_path / "copy.docx"
    office_copy(report, copy)
    assert report.read_bytes() == before and stat.S_IMODE(copy.stat().st_mode) == 0o600
    document, original = Document(str(copy)), Document(str(report))
    lines = [p for p in document.paragraphs if p.style.name.startswith("TOC")]
    assert [p.text for p in lines] == [p.text for p in original.paragraphs if p.style.name.startswith("TOC")]
    codes = [t.text for p in lines for t in p._p.iter(qn("w:instrText"))]
    assert len(codes) == len(lines) and all(code.strip().startswith("PAGEREF _Toc") for code in codes)
    kinds = [c.get(qn("w:fldCharType")) for p in lines for c in p._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * len(lines)  # no field left open around the lines
    start = next(b for b in lines[0]._p.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")) == LINES)
    assert any(e.get(qn("w:id")) == start.get(qn("w:id")) for e in lines[-1]._p.iter(qn("w:bookmarkEnd")))


@UNO_OFFICE
def test_the_page_of_each_toc_line_is_the_page_its_heading_is_printed_on(report, tmp_path, temp_root):
    """Read the PDF as a reader does: each 目录 line's number is the page number printed at the foot of the page
    where its heading starts a line (the first such page after the 目录 and the line before)."""
    import pdfplumber

    docx = tmp_path / "报告.docx"
    docx.write_bytes(report.read_bytes())
    made = pdf.finish_document(docx, pdf=True)
    pdf.close_offices()
    assert made.toc_filled and made.pdf is not None, made.notes
    lines = [p.text.rpartition("\t") for p in Document(str(docx)).paragraphs if p.style.name.startswith("TOC")]
    with pdfplumber.open(made.pdf) as document:
        pages = [["".join(line.split()) for line in (page.extract_text() or "").splitlines()] for page in document.pages]
    page = next(i for i, text in enumerate(pages) if i > 1 and not any("......" in line for line in text))
    for title, _, number in lines:
        wanted = "".join(title.split())
        page = next(i for i in range(page, len(pages)) if _starts_a_line(wanted, pages[i]))
        assert pages[page][-1] == f"—{number}—", (title, number, pages[page][-1])


def _starts_a_line(text: str, lines: list[str]) -> bool:
    """True when text begins at the start of one of lines (running on over the following lines if need be)."""
    return any("".join(lines[i:]).startswith(text) for i in range(len(lines)))


@UNO_OFFICE
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_an_ended_office_leaves_no_socket_files_in_tmp(report, tmp_path, temp_root):
    """LibreOffice removes its /tmp/OSL_PIPE_… sockets only when it exits in order; genreport ends it, so it
    removes them itself."""
    docx = tmp_path / "报告.docx"
    docx.write_bytes(report.read_bytes())
    assert pdf.finish_document(docx, toc=True).toc_filled
    (office,) = pdf._offices.values()
    held = held_pipes(office.process.pid)
    assert len(held) >= 2 and all(path.exists() for path in held), held  # its own and genreport's pipe
    pdf.close_offices()
    assert [path for path in held if path.exists()] == []


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
