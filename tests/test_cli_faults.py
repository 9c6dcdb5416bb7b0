"""The command line under faults: a killed run's leftovers are swept by the next start, every I/O failure is one
sentence naming the true cause (no traceback on any stream), typed text prints exactly, unit slips and paragraphs
too long to lay out are check findings at their cells."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import docx
import pytest
from _hostile import SAMPLE, TRACEBACK, assert_clean_failure, check_json, edited_sample, inline_text, issues_at, \
    patch_cell, row_of, run_cli

import genreport.pdf as pdf
from genreport.api import check_workbook

REAL_OFFICE = pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) not installed")
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and /proc")
DOCUMENT = "新乡市行政审批和政务信息管理局2024年度部门决算.docx"
DUTIES = f"B{row_of('封面概况', '部门职责')}"
IGNORED = "Exception ignored"


# ---- a killed run ------------------------------------------------------------------------------------------


def _mentioning(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if marker.encode() in (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes():
                    found.append(int(entry.name))
    return found


@REAL_OFFICE
@LINUX
@pytest.mark.slow
def test_a_run_killed_with_its_office_leaves_a_run_folder_the_next_start_sweeps(tmp_path):
    temp = tmp_path / f"tmp-{uuid.uuid4().hex[:8]}"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    run = subprocess.Popen([sys.executable, "-m", "genreport", str(SAMPLE), "-o", str(tmp_path / "out"), "--pdf"],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = temp / f"genreport-{os.getuid()}"
    deadline = time.monotonic() + 120
    while "report.docx" not in {name for _, _, files in os.walk(root) for name in files}:
        assert run.poll() is None and time.monotonic() < deadline, "LibreOffice never got the document"
        time.sleep(0.05)
    for pid in [run.pid, *_mentioning(str(temp))]:  # everything at once, as the OOM killer or a power cut would
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    run.wait()
    time.sleep(0.5)
    left = list(root.glob("office-*"))
    assert left, "nothing was left: the kill came too late to test the sweep"
    assert not any(os.lstat(os.path.join(top, name)).st_mode & 0o077 for top, dirs, files in os.walk(root)
                   for name in dirs + files if not os.path.islink(os.path.join(top, name)))
    done = subprocess.run([sys.executable, "-m", "genreport", "check", str(SAMPLE)], env=env, capture_output=True,
                          timeout=120)
    assert done.returncode in (0, 1)
    assert not any(folder.exists() for folder in left)
    for pid in _mentioning(str(temp)):
        os.kill(pid, signal.SIGKILL)


# ---- a full disk -------------------------------------------------------------------------------------------


@contextlib.contextmanager
def small_disk(tmp_path: Path, size: str):
    """Yield a folder on a tmpfs of size (root only); skip when one cannot be mounted here."""
    mount = shutil.which("mount")
    if os.geteuid() != 0 or mount is None or not sys.platform.startswith("linux"):
        pytest.skip("a small tmpfs needs root and mount")
    folder = tmp_path / f"disk-{size}"
    folder.mkdir()
    if subprocess.run([mount, "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _run(*args: object, temp: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"TMPDIR": str(temp)} if temp else {})}
    return subprocess.run([sys.executable, "-m", "genreport", *map(str, args)], capture_output=True, text=True,
                          timeout=300, env=env)


def _one_sentence(done: subprocess.CompletedProcess, *fragments: str) -> None:
    text = done.stdout + done.stderr
    assert TRACEBACK not in text and IGNORED not in text and "程序内部出错" not in text, text
    errors = [line for line in done.stderr.splitlines() if line.startswith("错误：")]
    assert len(errors) <= 1 and all(line.count("。") == 1 and line.endswith("。") for line in errors), done.stderr
    for fragment in fragments:
        assert fragment in text, text


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*"))


@pytest.mark.slow
@pytest.mark.parametrize("size", ["40k", "85k"], ids=["document-does-not-fit", "summary-does-not-fit"])
def test_a_full_disk_during_batch_is_one_sentence_and_leaves_no_temporary_file(tmp_path, size):
    (tmp_path / "in").mkdir()
    shutil.copyfile(SAMPLE, tmp_path / "in" / "单位.xlsx")
    with small_disk(tmp_path, size) as disk:
        done = _run("batch", tmp_path / "in", "-o", disk / "out")
        assert done.returncode in (1, 2)
        _one_sentence(done, "磁盘空间不足")
        assert _hidden(disk) == []


@REAL_OFFICE
@pytest.mark.slow
def test_a_full_disk_during_pdf_is_one_sentence_and_leaves_no_temporary_file(tmp_path):
    with small_disk(tmp_path, "170k") as disk:
        done = _run(SAMPLE, "-o", disk, "--pdf")
        assert done.returncode == 2
        _one_sentence(done, "磁盘空间不足", ".pdf")
        assert _hidden(disk) == [] and not list(disk.glob("*.pdf"))


@pytest.mark.slow
def test_a_full_disk_while_replacing_last_years_report_names_the_disk(tmp_path):
    with small_disk(tmp_path, "120k") as disk:
        assert _run(SAMPLE, "-o", disk).returncode == 0
        done = _run(SAMPLE, "-o", disk)
        assert done.returncode == 2
        _one_sentence(done, "磁盘空间不足", "原有文件未被改动")
        assert "修改过" not in done.stderr and _hidden(disk) == []


# ---- what is in the way of the output ------------------------------------------------------------------------


def test_a_folder_at_the_output_path_is_named_as_a_folder(tmp_path):
    (tmp_path / DOCUMENT).mkdir()
    result = run_cli(SAMPLE, "-o", tmp_path)
    assert_clean_failure(result, 2, "是一个文件夹", "改名")
    assert "修改过" not in result.text


def test_a_link_at_the_output_path_is_named_as_a_link_and_its_target_kept(tmp_path):
    elsewhere = tmp_path / "别处.txt"
    elsewhere.write_text("不能被改写", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / DOCUMENT).symlink_to(elsewhere)
    result = run_cli(SAMPLE, "-o", tmp_path / "out")
    assert_clean_failure(result, 2, "符号链接")
    assert "修改过" not in result.text and elsewhere.read_text(encoding="utf-8") == "不能被改写"


def test_a_folder_in_the_way_in_a_batch_is_named_too(tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copyfile(SAMPLE, tmp_path / "in" / "单位.xlsx")
    (tmp_path / "out" / DOCUMENT).mkdir(parents=True)
    result = run_cli("batch", tmp_path / "in", "-o", tmp_path / "out")
    assert result.code == 1 and TRACEBACK not in result.text and "是一个文件夹" in result.text


def test_a_name_too_long_is_said_so(tmp_path):
    result = run_cli(SAMPLE, "-o", tmp_path / ("长" * 100 + ".docx"))
    assert_clean_failure(result, 2, "文件名或路径太长")


def test_a_read_only_target_is_said_so(tmp_path):
    assert run_cli(SAMPLE, "-o", tmp_path).code == 0
    target = tmp_path / DOCUMENT
    if os.geteuid() == 0:  # root writes anywhere: make the document immutable instead
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(target)]).returncode != 0:
            pytest.skip("running as root where chattr +i is not available")
        undo = ["chattr", "-i", str(target)]
    else:
        tmp_path.chmod(0o555)
        undo = ["chmod", "755", str(tmp_path)]
    try:
        result = run_cli(SAMPLE, "-o", tmp_path)
    finally:
        subprocess.run(undo)
    assert_clean_failure(result, 2, "没有写入权限", "原有文件未被改动")
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


# ---- what is typed -------------------------------------------------------------------------------------------


def test_escape_markers_typed_in_a_cell_print_exactly(tmp_path):
    typed = "原样{_{ x }_}与{_% if y %_}及{{ z }}"

    def edit(book):
        book["封面概况"][DUTIES] = typed

    out = tmp_path / "out.docx"
    result = run_cli(edited_sample(tmp_path, edit), "-o", out)
    assert result.code == 0, result.text
    assert typed in [p.text for p in docx.Document(str(out)).paragraphs]


@pytest.mark.parametrize("label, this", [("上年公务接待费", "actual_reception"), ("上年公务用车购置及运行维护费", "actual_car"),
                                         ("上年项目支出", None)])
def test_a_prior_year_figure_typed_in_yuan_draws_a_unit_warning_at_its_cell(tmp_path, label, this):
    workbook, _ = check_workbook(SAMPLE)
    figure = workbook.tables["t09"].cell("row", this) if this else workbook.tables["t03"].cell("total", "project")
    assert figure.value, "the sample has this year's figure"
    ref = f"B{row_of('上年数', label)}"

    def edit(book):
        book["上年数"][ref] = float(figure.value) * 10_000  # this year's amount, typed in 元

    _, issues = check_json(edited_sample(tmp_path, edit))
    found = issues_at(issues, "上年数", ref)["magnitude-mismatch"]
    assert found["severity"] == "warning" and "可能按元填写" in found["message"]


@pytest.mark.slow
def test_a_megabyte_paragraph_is_a_finding_at_its_cell_with_or_without_pdf(tmp_path):
    limit = pdf.MAX_PARAGRAPH_CHARS
    text = "为人民服务，" * (limit // 6 + 100)
    path = patch_cell(SAMPLE, tmp_path / "长段落.xlsx", "封面概况", DUTIES, inline_text(DUTIES, text))
    result, issues = check_json(path)
    found = issues_at(issues, "封面概况", DUTIES)["paragraph-too-long"]
    assert found["severity"] == "error" and f"{len(text):,} 字" in found["message"] and "分成较短的几段" in found["message"]
    assert result.code == 1
    generated = run_cli(path, "-o", tmp_path / "out")  # without --pdf too: no document that cannot be opened
    assert generated.code == 1 and not list(tmp_path.rglob("*.docx"))


def test_several_short_paragraphs_in_one_cell_are_fine(tmp_path):
    limit = pdf.MAX_PARAGRAPH_CHARS
    text = "\n".join(["（一）" + "为人民服务，" * (limit // 12)] * 3)
    path = patch_cell(SAMPLE, tmp_path / "多段.xlsx", "封面概况", DUTIES, inline_text(DUTIES, text))
    _, issues = check_json(path)
    assert "paragraph-too-long" not in issues_at(issues, "封面概况", DUTIES)

