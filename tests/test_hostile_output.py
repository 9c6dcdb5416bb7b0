"""Hostile output paths: the input itself, unwritable folders, disk full, killed mid-write; nothing is lost or truncated."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import docxtpl
import pytest
from _hostile import ROOT, assert_clean_failure, copy_sample, run_cli

from genreport import atomic

def _report_genreport_wrote() -> bytes:
    """A small document carrying genreport's fingerprint, so replacing it needs no --force."""
    from io import BytesIO

    from docx import Document

    from genreport.render.fingerprint import stamp_document

    document = Document()
    document.add_paragraph("old report that must survive")
    stamp_document(document)
    stream = BytesIO()
    document.save(stream)
    return stream.getvalue()


OLD = _report_genreport_wrote()


@pytest.fixture
def workbook(tmp_path) -> Path:
    return copy_sample(tmp_path)


@pytest.fixture
def previous(tmp_path) -> Path:
    """An existing report genreport wrote (a small stand-in) at the output path."""
    target = tmp_path / "out" / "报告.docx"
    target.parent.mkdir()
    target.write_bytes(OLD)
    return target


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---- refused paths ----------------------------------------------------------------


def test_output_equal_to_input_is_refused(workbook):
    before = workbook.read_bytes()
    result = run_cli(workbook, "-o", workbook)
    assert_clean_failure(result, 2, "就是输入的工作簿", "为避免覆盖它")
    assert workbook.read_bytes() == before


def test_output_equal_to_input_through_another_spelling(workbook, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    link = tmp_path / "link.xlsx"
    link.symlink_to(workbook)
    before = workbook.read_bytes()
    assert_clean_failure(run_cli(f"./{workbook.name}", "-o", link), 2, "就是输入的工作簿")
    assert workbook.read_bytes() == before


def test_annotated_copy_equal_to_input_is_refused(workbook):
    before = workbook.read_bytes()
    assert_clean_failure(run_cli("check", workbook, "--annotate", workbook), 2, "不能与原工作簿同名")
    assert workbook.read_bytes() == before


@pytest.mark.parametrize("name", ["报告.doc", "报告.pdf", "报告.xlsx"])
def test_output_with_another_document_extension_is_refused(workbook, tmp_path, name):
    assert_clean_failure(run_cli(workbook, "-o", tmp_path / name), 2, "不是 .docx 文件")
    assert not (tmp_path / name).exists()


def test_existing_non_docx_file_is_not_overwritten(workbook, tmp_path):
    notes = tmp_path / "notes"
    notes.write_text("我的笔记", encoding="utf-8")
    assert_clean_failure(run_cli(workbook, "-o", notes), 2, "不是 .docx 文件")
    assert notes.read_text(encoding="utf-8") == "我的笔记"


def test_existing_folder_with_docx_in_its_name_receives_the_report(workbook, tmp_path):
    folder = tmp_path / "报告.docx"
    folder.mkdir()
    assert run_cli(workbook, "-o", folder).code == 0
    assert [p.suffix for p in folder.iterdir()] == [".docx"]


def test_output_folder_below_a_file(workbook, tmp_path):
    blocker = tmp_path / "文件"
    blocker.write_text("x")
    assert_clean_failure(run_cli(workbook, "-o", blocker / "子目录" / "报告.docx"), 2, "无法在", "中写入文件")
    assert blocker.read_text() == "x"


def test_output_folder_not_writable_real(workbook, tmp_path):
    locked = tmp_path / "只读"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as root: a read-only folder is still writable")
        assert_clean_failure(run_cli(workbook, "-o", locked), 2, "没有写入权限")
    finally:
        locked.chmod(0o755)


def test_output_folder_not_writable_simulated(workbook, tmp_path, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = run_cli(workbook, "-o", tmp_path / "out")
    assert_clean_failure(result, 2, "无法在", "没有写入权限", "请换一个有写入权限的文件夹")
    assert result.err.count("。") == 1


# ---- failures while writing -------------------------------------------------------


def _half_written_then(exc: BaseException):
    """Return a DocxTemplate.save replacement that writes half a file, checks the old one is intact, then fails."""

    def save(self, filename, *args, **kwargs):
        Path(filename).write_bytes(b"PK\x03\x04 half a document")
        target = Path(filename).parent / "报告.docx"
        assert target.read_bytes() == OLD, "the previous report must stay untouched while writing"
        raise exc

    return save


def test_disk_full_keeps_the_previous_report_and_no_temp_file(workbook, previous, monkeypatch):
    monkeypatch.setattr(docxtpl.DocxTemplate, "save", _half_written_then(OSError(errno.ENOSPC, "No space left")))
    result = run_cli(workbook, "-o", previous)
    assert_clean_failure(result, 2, "磁盘空间不足", "原有文件未被改动")
    assert previous.read_bytes() == OLD
    assert _leftovers(previous.parent) == ["报告.docx"]


def test_disk_full_on_a_new_report_leaves_nothing(workbook, tmp_path, monkeypatch):
    monkeypatch.setattr(docxtpl.DocxTemplate, "save", _half_written_then(OSError(errno.ENOSPC, "No space left")))
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "报告.docx").write_bytes(OLD)  # the stand-in save checks this file; the real output has another name
    result = run_cli(workbook, "-o", folder)
    assert_clean_failure(result, 2, "磁盘空间不足", "没有留下不完整的文件")
    assert _leftovers(folder) == ["报告.docx"]


def test_interrupted_mid_write_keeps_the_previous_report(workbook, previous, monkeypatch):
    monkeypatch.setattr(docxtpl.DocxTemplate, "save", _half_written_then(KeyboardInterrupt()))
    result = run_cli(workbook, "-o", previous)
    assert_clean_failure(result, 2, "已中断")
    assert previous.read_bytes() == OLD
    assert _leftovers(previous.parent) == ["报告.docx"]


def test_unexpected_error_mid_write_keeps_the_previous_report(workbook, previous, monkeypatch):
    monkeypatch.setattr(docxtpl.DocxTemplate, "save", _half_written_then(ValueError("lxml said no")))
    result = run_cli(workbook, "-o", previous)
    assert result.code == 2 and "Traceback" not in result.text
    assert previous.read_bytes() == OLD and _leftovers(previous.parent) == ["报告.docx"]


def test_existing_report_is_replaced_only_when_complete(workbook, previous):
    result = run_cli(workbook, "-o", previous)
    assert result.code == 0, result.text
    assert previous.read_bytes() != OLD and zipfile.is_zipfile(previous)
    assert _leftovers(previous.parent) == ["报告.docx"]


def test_written_report_is_readable_by_others(workbook, tmp_path):
    assert run_cli(workbook, "-o", tmp_path / "r.docx").code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "r.docx").stat().st_mode & 0o777 == 0o666 & ~umask


def test_replace_failure_is_one_sentence(tmp_path, monkeypatch):
    def locked(*args):
        raise PermissionError(errno.EACCES, "locked by Word")

    monkeypatch.setattr(os, "replace", locked)
    target = tmp_path / "r.docx"
    target.write_bytes(OLD)
    with pytest.raises(atomic.OutputError, match="文件正在 Word/WPS 中打开"):
        atomic.atomic_write(target, lambda tmp: tmp.write_bytes(b"new"))
    assert target.read_bytes() == OLD and _leftovers(tmp_path) == ["r.docx"]


_KILLED_WRITER = """
import sys, time
from pathlib import Path
import docxtpl
from genreport.commands import main

def slow_save(self, filename, *args, **kwargs):
    with open(filename, "wb") as stream:
        stream.write(b"PK\\x03\\x04 half a document")
        stream.flush()
        print("WRITING", flush=True)
        time.sleep(60)

docxtpl.DocxTemplate.save = slow_save
main(sys.argv[1:])
"""


def test_killed_mid_write_leaves_the_previous_report_intact(workbook, previous):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "cli")}
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(workbook), "-o", str(previous)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if "WRITING" in line or not line:
                break
        assert "WRITING" in line, proc.stderr.read()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert previous.read_bytes() == OLD
    stray = [n for n in _leftovers(previous.parent) if n != "报告.docx"]
    assert all(n.startswith(".~genreport-") and n.endswith(".docx.tmp") for n in stray), stray


# ---- outputs never clobber inputs, by identity --------------------------------------------


def _template_copy(folder: Path, name: str) -> Path:
    from genreport.profile import load_profile

    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(load_profile().template_path.read_bytes())
    return target


def test_output_naming_the_template_is_refused(workbook, tmp_path):
    template = _template_copy(tmp_path, "模板.docx")
    before = template.read_bytes()
    result = run_cli(workbook, "--template", template, "-o", tmp_path / "." / "模板.docx")
    assert_clean_failure(result, 2, "就是使用的 Word 模板", "为避免覆盖它")
    assert template.read_bytes() == before


def test_pdf_naming_the_input_workbook_is_refused(workbook, tmp_path):
    disguised = tmp_path / "报告.pdf"  # a real workbook whose name ends in .pdf
    workbook.rename(disguised)
    before = disguised.read_bytes()
    result = run_cli(disguised, "-o", tmp_path / "报告.docx", "--pdf")
    assert_clean_failure(result, 2, "PDF的输出路径", "就是输入的工作簿")
    assert disguised.read_bytes() == before and not (tmp_path / "报告.docx").exists()


def test_in_place_batch_never_overwrites_a_workbook_called_like_the_summary(workbook, tmp_path):
    folder = workbook.parent
    summary = folder / "汇总.xlsx"
    shutil.copyfile(workbook, summary)
    before = summary.read_bytes()
    result = run_cli("batch", folder, "-o", folder, "-q")
    assert_clean_failure(result, 2, "与批量汇总同名", "改名")
    assert summary.read_bytes() == before


def test_in_place_batch_skips_its_own_earlier_summary(workbook, tmp_path):
    folder = workbook.parent
    assert run_cli("batch", folder, "-o", folder, "-q").code == 0
    again = run_cli("batch", folder, "-o", folder, "-q")
    assert again.code == 0, again.text
    assert "共 1 份" in again.out


def test_batch_never_writes_a_document_over_its_template(workbook, tmp_path):
    out = tmp_path / "out"
    template = _template_copy(out, "新乡市行政审批和政务信息管理局2024年度部门决算.docx")
    before = template.read_bytes()
    result = run_cli("batch", workbook, "-o", out, "--template", template, "-q")
    assert result.code == 1 and "就是模板" in result.out
    assert template.read_bytes() == before


def test_a_second_batch_into_the_same_folder_is_refused(workbook, tmp_path):
    from genreport.batch.output import locked

    out = tmp_path / "out"
    with locked(out):
        result = run_cli("batch", workbook, "-o", out, "-q")
    assert_clean_failure(result, 2, "另一个 genreport batch 正在向", "请等它结束后再运行")
    assert not list(out.glob("*.docx"))


def _named(dept):
    def mutate(data):
        data["forms"]["profile"]["dept_name"] = dept

    return mutate


def test_concurrent_batches_into_one_folder_never_mix_departments(tmp_path, make_workbook):
    out = tmp_path / "out"
    for name in ("甲", "乙"):
        for n in range(2):
            make_workbook(_named(f"{name}{n}局"), name=f"{name}/{n}.xlsx")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "cli")}
    runs = [subprocess.Popen([sys.executable, "-m", "genreport", "batch", str(tmp_path / name), "-o", str(out), "-q",
                              "-j", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for name in ("甲", "乙")]
    outcomes = [(run.wait(timeout=300), run.stdout.read() + run.stderr.read()) for run in runs]
    for code, text in outcomes:
        assert code == 0 or (code == 2 and "另一个 genreport batch 正在向" in text), text
    from docx import Document

    for doc in out.glob("*.docx"):
        dept = doc.name.split("2024")[0]
        assert dept in "\n".join(p.text for p in Document(str(doc)).paragraphs[:40]), doc.name
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_a_staged_document_that_changed_is_not_renamed(tmp_path):
    from genreport.batch import OK, Item, Outcome
    from genreport.batch.output import claim
    from genreport.batch.worker import digest

    staged = tmp_path / "0.docx"
    staged.write_bytes(b"PK written from the right workbook")
    outcome = Outcome(OK, staged=staged, digest=digest(staged))
    staged.write_bytes(b"PK replaced by another run")
    item = Item(tmp_path / "甲.xlsx", status="ok", target=tmp_path / "甲局2024年度部门决算.docx")
    claim(item, {}, outcome, {})
    assert item.status == "failed" and "被改动" in item.first_error
    assert not item.target.exists()


# ---- every I/O failure is one sentence ------------------------------------------------------

_FULL_DISK = """
import sys
from pathlib import Path
from genreport import atomic

real = atomic._temporary
def to_dev_full(target):
    tmp = real(target)
    tmp.unlink()
    tmp.symlink_to("/dev/full")
    print("TMP", tmp, flush=True)
    return tmp

atomic._temporary = to_dev_full
from genreport.commands import main
main(sys.argv[1:])
"""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_real_disk_full_is_one_sentence_without_interpreter_noise(workbook, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "cli")}
    folder = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-c", _FULL_DISK, str(workbook), "-o", str(folder)], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "磁盘空间不足" in proc.stderr and "请清理磁盘空间" in proc.stderr
    assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert _leftovers(folder) == []


def test_output_name_too_long_is_one_sentence_and_leaves_nothing(workbook, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    result = run_cli(workbook, "-o", folder / ("很长" * 50 + ".docx"))
    assert_clean_failure(result, 2, "文件名或路径太长", "请用较短的文件名")
    assert _leftovers(folder) == []


@pytest.mark.parametrize(("code", "fragments"), [
    (errno.EFBIG, ("超过了该磁盘允许的单个文件大小", "FAT32")),
    (errno.EEXIST, ("路径中有同名文件",)),
    (errno.EIO, ("磁盘读写出错",)),
])
def test_errno_text_is_translated_with_advice(workbook, previous, monkeypatch, code, fragments):
    monkeypatch.setattr(docxtpl.DocxTemplate, "save", _half_written_then(OSError(code, os.strerror(code))))
    result = run_cli(workbook, "-o", previous)
    assert_clean_failure(result, 2, *fragments)
    assert os.strerror(code) not in result.text
    assert previous.read_bytes() == OLD


def test_batch_output_folder_that_is_a_dangling_link_is_one_chinese_sentence(workbook, tmp_path):
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "gone")
    result = run_cli("batch", workbook, "-o", link, "-q")
    assert_clean_failure(result, 2, "路径中有同名文件")
    assert "File exists" not in result.text


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_on_a_full_device_is_one_sentence(workbook):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "cli")}
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "genreport", "check", str(workbook)], stdout=full,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "错误：无法输出结果（磁盘空间不足），请清理磁盘空间或换一个磁盘后重试。", proc.stderr
