"""LibreOffice is supervised: given up after its timeout, killed with genreport, or refused up front, it leaves
no process, profile, lock file or temporary folder behind; one office serves many documents."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from docx import Document

import genreport.pdf as pdf
from genreport.api import generate_report
from genreport.office import PROFILE_PREFIX

REAL_OFFICE = pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) not installed")


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """A private temporary folder for genreport and LibreOffice, so leftovers can be counted."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setenv("TMPDIR", str(root))
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    yield root
    getattr(pdf, "close_offices", lambda: None)()
    for pid in _processes_mentioning(root):
        os.kill(pid, signal.SIGKILL)


def _processes_mentioning(marker: Path) -> list[int]:
    """Return the ids of running processes whose command line or environment names marker."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            seen = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
        except OSError:
            continue
        if str(marker).encode() in seen:
            found.append(int(entry.name))
    return found


def _leftovers(root: Path) -> list[str]:
    """Return what is under root except the per-user folder itself (genreport-<uid>) and the prepared LibreOffice
    profile in it, both kept for the next run."""
    user = root / f"genreport-{os.getuid()}"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p != user and not (p.is_relative_to(user) and p.relative_to(user).parts[0].startswith(PROFILE_PREFIX)))


def _settle(root: Path, seconds: float = 30) -> None:
    """Wait until nothing mentions root any more (or seconds pass)."""
    deadline = time.monotonic() + seconds
    while (_processes_mentioning(root) or _leftovers(root)) and time.monotonic() < deadline:
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
    assert _processes_mentioning(temp_root) == []
    assert _leftovers(temp_root) == [] and _locks(out) == [] and not list(out.glob("*.pdf"))


@REAL_OFFICE
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_genreport_during_pdf_leaves_no_office_and_no_temp_folder(sample_path, tmp_path, temp_root):
    out = tmp_path / "out"
    env = {**os.environ, "TMPDIR": str(temp_root)}
    run = subprocess.Popen([sys.executable, "-m", "genreport", str(sample_path), "-o", str(out), "--pdf"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while not (any("soffice" in _name(pid) for pid in _processes_mentioning(temp_root))
               and list(temp_root.glob("*/office-*/job*/report.docx"))):  # LibreOffice has the document
        assert run.poll() is None and time.monotonic() < deadline, "LibreOffice never got the document"
        time.sleep(0.05)
    time.sleep(0.2)  # let it open the document
    run.send_signal(signal.SIGKILL)
    run.wait()
    _settle(temp_root)
    assert _processes_mentioning(temp_root) == []
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
