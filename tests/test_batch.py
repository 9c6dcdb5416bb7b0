"""genreport batch: inputs, parallel generation, conflicts, safe names, resuming, summary."""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from genreport.filenames import MAX_STEM_BYTES, report_filename, safe_filename

WINDOWS_INVALID = set('\\/:*?"<>|') | {chr(i) for i in range(32)}
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def assert_valid_name(name: str, outdir: Path) -> None:
    """A single component, valid on Windows, without invisible characters, that resolves inside outdir."""
    import unicodedata

    assert name and not (set(name) & WINDOWS_INVALID), name
    assert not [ch for ch in name if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp")], ascii(name)
    assert name == name.strip() and not name.endswith("."), name
    assert name.split(".")[0].rstrip().upper() not in RESERVED, name
    assert len(name.encode("utf-8")) <= 255
    assert len(PureWindowsPath(name).parts) == 1 and len(Path(name).parts) == 1
    assert (outdir / name).resolve().parent == outdir.resolve()


@pytest.mark.parametrize(("dept", "expected"), [
    ("新乡市行政审批和政务信息管理局", "新乡市行政审批和政务信息管理局2024年度部门决算.docx"),
    ("../x", "_x2024年度部门决算.docx"),
    ("a/b", "a_b2024年度部门决算.docx"),
    ("a\\b", "a_b2024年度部门决算.docx"),
    ("名称:*?", "名称___2024年度部门决算.docx"),
    ("", "未命名部门2024年度部门决算.docx"),
    (" .. ", "未命名部门2024年度部门决算.docx"),
    ("CON", "CON2024年度部门决算.docx"),
    ("局\u202excod.exe", "局xcod.exe2024年度部门决算.docx"),
    ("局\u200b\u200d\ufeff名", "局名2024年度部门决算.docx"),
    ("局\x1b[31m\x07", "局_[31m_2024年度部门决算.docx"),
], ids=["plain", "parent", "slash", "backslash", "reserved-chars", "empty", "dots", "device", "bidi", "zero-width",
        "control"])
def test_report_filename(dept, expected, tmp_path):
    name = report_filename(dept, 2024)
    assert name == expected
    assert_valid_name(name, tmp_path)


@pytest.mark.parametrize("name", ["CON", "con", "NUL.txt", "COM1", "LPT9 ", "AUX .docx"])
def test_safe_filename_prefixes_device_names(name, tmp_path):
    cleaned = safe_filename(name)
    assert cleaned.startswith("_")
    assert_valid_name(cleaned, tmp_path)


def test_long_name_keeps_the_year_part(tmp_path):
    name = report_filename("很长的部门名称" * 40, 2024)
    assert name.endswith("2024年度部门决算.docx")
    assert len(name.encode("utf-8")) <= MAX_STEM_BYTES + len(".docx")
    assert_valid_name(name, tmp_path)


@given(st.text(max_size=300))
def test_any_department_name_gives_a_valid_name_inside_outdir(dept):
    outdir = Path("/tmp/genreport-outdir")
    assert_valid_name(report_filename(dept, 2024), outdir)
    assert_valid_name(safe_filename(dept), outdir)


# ---- the batch itself ----------------------------------------------------------------

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import openpyxl  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from docx import Document  # noqa: E402

import genreport  # noqa: E402
from genreport.batch import SUMMARY_JSON, SUMMARY_XLSX, collect_inputs, run_batch  # noqa: E402
from genreport.commands import cli  # noqa: E402
from genreport.pool import CRASH, run_parallel  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from _hostile import assert_clean_failure, run_cli  # noqa: E402


def named(dept):
    def mutate(data):
        data["forms"]["profile"]["dept_name"] = dept

    return mutate


def missing_prior(data):
    data["forms"]["profile"]["dept_name"] = "漏填上年数的部门"
    data["forms"]["prior"]["total"] = None


def snapshot(folder: Path, skip: Path | None = None) -> dict[str, int]:
    """Return {relative path: mtime_ns} of every file under folder (outside skip)."""
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")
            if p.is_file() and (skip is None or skip not in p.parents)}


def summary_rows(outdir: Path) -> dict[str, dict]:
    data = json.loads((outdir / SUMMARY_JSON).read_text(encoding="utf-8"))
    return {Path(item["file"]).name: item for item in data["items"]}


def test_batch_on_a_mixed_folder(make_workbook, tmp_path):
    make_workbook(named("甲局"), name="in/甲.xlsx")
    make_workbook(named("乙局"), name="in/sub/乙.xlsx")
    make_workbook(missing_prior, name="in/错误.xlsx")
    make_workbook(named("丙局"), name="in/丙一.xlsx")
    make_workbook(named("丙局"), name="in/sub/丙二.xlsx")
    (tmp_path / "in" / "损坏.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "in" / "~$甲.xlsx").write_bytes(b"lock")
    before = snapshot(tmp_path)
    outdir = tmp_path / "out"

    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "in"), "-o", str(outdir), "-j", "2"])

    assert result.exit_code == 1, result.output
    docs = sorted(p.name for p in outdir.glob("*.docx"))
    assert docs == ["乙局2024年度部门决算.docx", "甲局2024年度部门决算.docx"]
    rows = summary_rows(outdir)
    assert sorted(rows) == ["丙一.xlsx", "丙二.xlsx", "乙.xlsx", "损坏.xlsx", "甲.xlsx", "错误.xlsx"]
    assert {rows[n]["status"] for n in ("甲.xlsx", "乙.xlsx")} == {"ok"}
    assert rows["错误.xlsx"]["status"] == "invalid" and rows["错误.xlsx"]["errors"] >= 1
    assert rows["错误.xlsx"]["first_error"].startswith("上年数!B3：")
    assert rows["损坏.xlsx"]["status"] == "failed" and "损坏.xlsx" in rows["损坏.xlsx"]["first_error"]
    for mine, other in (("丙一.xlsx", "丙二.xlsx"), ("丙二.xlsx", "丙一.xlsx")):
        assert rows[mine]["status"] == "conflict" and other in rows[mine]["first_error"]
    for name in ("错误.xlsx", "损坏.xlsx"):
        assert rows[name]["first_error"] in result.output
    assert result.output.count("等 2 份") == 1 and "丙二.xlsx 等 2 份" in result.output and "2 份工作簿都会生成 丙局2024年度部门决算.docx" in result.output
    assert rows["损坏.xlsx"]["errors"] == 1  # an unreadable file counts its one error
    assert snapshot(tmp_path, skip=outdir) == before
    assert {p.name for p in outdir.iterdir()} == {*docs, SUMMARY_XLSX, SUMMARY_JSON}


def test_summary_workbook_has_one_row_per_workbook(make_workbook, tmp_path):
    make_workbook(named("甲局"), name="in/甲.xlsx")
    make_workbook(missing_prior, name="in/错误.xlsx")
    result = run_batch([tmp_path / "in"], tmp_path / "out", jobs=2, force=True)
    sheet = openpyxl.load_workbook(tmp_path / "out" / SUMMARY_XLSX).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["文件", "部门名称", "年度", "状态", "错误数", "警告数", "第一个错误", "输出文件", "用时秒"]
    assert [Path(r[0]).name for r in rows[1:]] == ["甲.xlsx", "错误.xlsx"]
    assert rows[1][1:6] == ["甲局", 2024, "已生成", 0, 0] and rows[1][7] == "甲局2024年度部门决算.docx"
    assert rows[2][3:5] == ["带错生成", 1] and rows[2][6].startswith("上年数!B3：")
    assert (tmp_path / "out" / rows[2][7]).is_file()  # --force generates despite the error …
    assert not result.ok  # … but the batch still reports it


def test_hostile_department_names_stay_inside_outdir(make_workbook, tmp_path):
    names = ["../x", "a/b", "CON", "名称:*?", "..\\..\\y"]
    for index, dept in enumerate(names):
        make_workbook(named(dept), name=f"in/{index}.xlsx")
    before = snapshot(tmp_path)
    outdir = tmp_path / "deep" / "out"

    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "in"), "-o", str(outdir), "-j", "2", "-q"])

    assert result.exit_code == 0, result.output
    docs = list(outdir.glob("*.docx"))
    assert len(docs) == len(names)
    for doc in docs:
        assert_valid_name(doc.name, outdir)
        assert doc.parent == outdir
        Document(str(doc))
    assert snapshot(tmp_path, skip=outdir) == before


def test_killed_batch_resumes_with_skip_existing(make_workbook, tmp_path):
    for index in range(6):
        make_workbook(named(f"部门{index}"), name=f"in/{index}.xlsx")
    outdir = tmp_path / "out"
    command = [sys.executable, "-m", "genreport", "batch", str(tmp_path / "in"), "-o", str(outdir), "-j", "2"]
    env = {**os.environ, "PYTHONPATH": str(Path(genreport.__file__).parents[1])}  # the code under test
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env)
    deadline = time.monotonic() + 30
    while not list(outdir.glob("*.docx")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    first = {p.name for p in outdir.glob("*.docx")}
    assert first and not (outdir / SUMMARY_JSON).exists(), "the batch must be killed mid-run"
    (outdir / ".部门0.half.docx.tmp").write_bytes(b"PK\x03\x04 truncated")  # what a kill mid-write leaves

    rerun = subprocess.run([*command, "--skip-existing"], capture_output=True, text=True, timeout=60, env=env)

    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    rows = summary_rows(outdir)
    assert {r["status"] for r in rows.values()} <= {"ok", "skipped"}
    assert {r["output"] for r in rows.values() if r["status"] == "skipped"} >= first
    docs = list(outdir.glob("*.docx"))
    assert len(docs) == 6
    for doc in docs:
        Document(str(doc))
    assert [p.name for p in outdir.iterdir() if p.name.startswith(".")] == []  # no temporary or staged files


def test_skip_existing_regenerates_outputs_older_than_their_workbook(make_workbook, tmp_path):
    source = make_workbook(named("甲局"), name="in/甲.xlsx")
    make_workbook(named("乙局"), name="in/乙.xlsx")
    outdir = tmp_path / "out"
    run_batch([tmp_path / "in"], outdir, jobs=2)
    stale = outdir / "甲局2024年度部门决算.docx"
    os.utime(stale, ns=(source.stat().st_mtime_ns - 10**9,) * 2)
    result = run_batch([tmp_path / "in"], outdir, jobs=2, skip_existing=True)
    assert {i.dept_name: i.status for i in result.items} == {"甲局": "ok", "乙局": "skipped"}
    assert stale.stat().st_mtime_ns > source.stat().st_mtime_ns


def test_collect_inputs_from_folders_files_and_manifests(tmp_path):
    for name in ("a/1.xlsx", "a/b/2.XLSX", "a/~$1.xlsx", "a/.hidden.xlsx", "a/1.标注.xlsx", "a/notes.txt",
                 "a/out/汇总.xlsx", "a/out/3.xlsx", "c.xlsx", "lists/d.xlsx"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    manifest = tmp_path / "lists" / "清单.txt"
    manifest.write_text("# 各部门\n\nd.xlsx\n../c.xlsx\n缺少.xlsx\n", encoding="utf-8-sig")
    found = collect_inputs([tmp_path / "a", manifest, tmp_path / "c.xlsx"], tmp_path / "a" / "out")
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a/1.xlsx", "a/b/2.XLSX", "a/out/3.xlsx", "a/out/汇总.xlsx", "lists/d.xlsx", "c.xlsx", "lists/缺少.xlsx"]


def test_missing_manifest_entry_is_a_failure_not_a_stop(make_workbook, tmp_path):
    make_workbook(named("甲局"), name="in/甲.xlsx")
    (tmp_path / "清单.txt").write_text("in/甲.xlsx\n没有这个.xlsx\n", encoding="utf-8")
    result = run_batch([tmp_path / "清单.txt"], tmp_path / "out", jobs=2)
    assert [(i.source.name, i.status) for i in result.items] == [("甲.xlsx", "ok"), ("没有这个.xlsx", "failed")]
    assert "找不到文件" in result.items[1].first_error and result.items[1].errors == 1


@pytest.mark.parametrize("typo", ["nodir", "没有这个.xlsx"])
def test_missing_input_on_the_command_line_is_a_usage_error(make_workbook, tmp_path, typo):
    make_workbook(named("甲局"), name="in/甲.xlsx")
    result = run_cli("batch", tmp_path / "in", tmp_path / typo, "-o", tmp_path / "out")
    assert_clean_failure(result, 2, f"找不到输入“{tmp_path / typo}”")
    assert not (tmp_path / "out").exists()


def test_no_workbook_found_is_a_usage_error(tmp_path):
    (tmp_path / "in").mkdir()
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0 and not (tmp_path / "out" / SUMMARY_JSON).exists()


def explode_on_two(value: int) -> dict:
    """A worker task that kills its own process for value 2 (a crash no try/except can catch)."""
    if value == 2:
        os._exit(3)
    return {"value": value}


def test_a_crashing_worker_does_not_stop_the_others():
    outcomes: dict[int, dict] = {}
    run_parallel(explode_on_two, {k: (k,) for k in range(6)}, 2, outcomes.__setitem__, lambda why: {"failure": why})
    assert outcomes[2] == {"failure": CRASH}
    assert {k: v for k, v in outcomes.items() if k != 2} == {k: {"value": k} for k in (0, 1, 3, 4, 5)}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_is_written_beside_the_document(make_workbook, tmp_path):
    make_workbook(named("甲局"), name="in/甲.xlsx")
    result = run_batch([tmp_path / "in"], tmp_path / "out", jobs=1, pdf=True)
    item = result.items[0]
    assert item.status == "ok" and item.pdf == tmp_path / "out" / "甲局2024年度部门决算.pdf"
    assert item.pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "汇总.json", "汇总.xlsx", "甲局2024年度部门决算.docx", "甲局2024年度部门决算.pdf"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_pdf_batch_pipeline_gives_each_workbook_its_own_outcome(make_workbook, tmp_path):
    # one worker renders the next workbook while its LibreOffice converts the one before (issue 31)
    make_workbook(named("甲局"), name="in/1甲.xlsx")
    make_workbook(missing_prior, name="in/2错.xlsx")
    make_workbook(named("乙局"), name="in/3乙.xlsx")
    result = run_batch([tmp_path / "in"], tmp_path / "out", jobs=1, pdf=True)
    assert [(i.source.name, i.status.value) for i in result.items] == [
        ("1甲.xlsx", "ok"), ("2错.xlsx", "invalid"), ("3乙.xlsx", "ok")]
    first, wrong, last = result.items
    assert first.pdf.name == "甲局2024年度部门决算.pdf" and last.pdf.name == "乙局2024年度部门决算.pdf"
    assert wrong.pdf is None and wrong.output is None and wrong.errors
    for item in (first, last):
        assert item.pdf.read_bytes().startswith(b"%PDF") and item.output.is_file()
        toc = [p.text for p in Document(str(item.output)).paragraphs if "\t" in p.text][:5]  # the 目录 comes first
        assert len(toc) == 5 and all(line.rsplit("\t", 1)[1].strip().isdigit() for line in toc), toc


def _paragraphs(docx: Path) -> list[str]:
    from docx import Document

    return [p.text for p in Document(str(docx)).paragraphs]


def test_a_worker_pipeline_returns_what_one_by_one_returns(make_workbook, tmp_path):
    from genreport.batch.worker import digest, process_many, process_one

    sources = [make_workbook(named("甲局"), name="甲.xlsx"), make_workbook(missing_prior, name="错.xlsx")]
    (tmp_path / "one").mkdir()
    (tmp_path / "many").mkdir()
    alone = [process_one(str(s), str(tmp_path / "one"), n, str(tmp_path), False, None, False, False, True)
             for n, s in enumerate(sources)]
    together = process_many([(str(s), str(tmp_path / "many"), n, str(tmp_path), False, None, False, False, True)
                             for n, s in enumerate(sources)])

    def same(outcome):  # not the digest: a document's bytes carry the second it was saved in
        return (outcome.status, outcome.dept_name, outcome.target, outcome.problems,
                outcome.staged and outcome.staged.name, outcome.staged_annotated and outcome.staged_annotated.name)

    assert [o.status.value for o in alone] == ["ok", "invalid"]
    assert [same(o) for o in together] == [same(o) for o in alone]
    assert together[0].digest == digest(tmp_path / "many" / "0.docx") and together[1].digest == ""
    assert _paragraphs(tmp_path / "many" / "0.docx") == _paragraphs(tmp_path / "one" / "0.docx")


@pytest.mark.slow
def test_a_pipeline_whose_worker_died_is_retried_one_workbook_at_a_time(make_workbook, tmp_path, monkeypatch):
    import genreport.batch.run as batch_run

    make_workbook(named("甲局"), name="in/1甲.xlsx")
    make_workbook(named("乙局"), name="in/2乙.xlsx")
    real, calls = batch_run.run_parallel, []

    def dying_first(task, tasks, jobs, done, failed):  # the pipeline's worker dies twice, as run_parallel reports it
        calls.append(task.__name__)
        if task.__name__ == "process_many":
            return [done(key, failed(CRASH)) for key in tasks]
        return real(task, tasks, jobs, done, failed)

    monkeypatch.setattr(batch_run, "run_parallel", dying_first)
    result = run_batch([tmp_path / "in"], tmp_path / "out", jobs=1, pdf=True)
    assert calls == ["process_many", "process_one"]
    assert [i.status.value for i in result.items] == ["ok", "ok"]


def test_pdf_batches_share_workbooks_evenly_among_workers():
    from genreport.batch.run import PIPELINE, _chunks

    for count in range(1, 60):
        for jobs in (1, 2, 3):
            chunks = _chunks(list(range(count)), jobs)
            assert [i for key in sorted(chunks) for i in chunks[key]] == list(range(count))
            assert max(len(c) for c in chunks.values()) <= PIPELINE
            assert len(chunks) >= min(jobs, count) or count <= jobs


# ---- statuses, the 问题清单 and per-department copies -----------------------------------------


def test_status_words_have_no_internal_punctuation():
    from genreport.batch import STATUS_LABEL

    for label in STATUS_LABEL.values():
        assert label and all(ch.isalnum() for ch in label), label


def test_every_problem_of_every_department_is_in_the_summary(make_workbook, tmp_path):
    def two_problems(data):
        missing_prior(data)
        data["forms"]["profile"]["dept_name"] = "两处错误局"
        data["forms"]["prior"]["fiscal_total"] = None

    make_workbook(named("甲局"), name="in/甲.xlsx")
    make_workbook(two_problems, name="in/错误.xlsx")
    (tmp_path / "in" / "损坏.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    result = run_batch([tmp_path / "in"], tmp_path / "out", jobs=2)
    bad = next(i for i in result.items if i.source.name == "错误.xlsx")
    assert bad.errors >= 2
    book = openpyxl.load_workbook(tmp_path / "out" / SUMMARY_XLSX)
    assert book.sheetnames == ["汇总", "问题清单"]
    rows = [[c.value for c in row] for row in book["问题清单"].iter_rows()]
    assert rows[0] == ["部门", "文件", "工作表", "单元格", "级别", "说明"]
    mine = [r for r in rows[1:] if r[0] == "两处错误局"]
    assert len([r for r in mine if r[4] == "错误"]) == bad.errors
    assert ["上年数", "B3", "错误"] == mine[0][2:5]
    broken = [r for r in rows[1:] if str(r[1]).endswith("损坏.xlsx")]
    assert len(broken) == 1 and broken[0][4] == "错误" and "损坏.xlsx" in broken[0][5]


def test_per_department_writes_one_annotated_copy_for_each_workbook_with_problems(make_workbook, tmp_path):
    make_workbook(named("甲局"), name="in/甲.xlsx")
    make_workbook(missing_prior, name="in/错误.xlsx")
    make_workbook(missing_prior, name="in/sub/错误.xlsx")  # same file name in another folder
    result = run_cli("batch", tmp_path / "in", "-o", tmp_path / "out", "--per-department", "-q")
    assert result.code == 1
    copies = sorted(p.name for p in (tmp_path / "out").glob("*.标注.xlsx"))
    assert copies == ["错误.标注.xlsx", "错误（2）.标注.xlsx"]
    for name in copies:
        sheet = openpyxl.load_workbook(tmp_path / "out" / name)["上年数"]
        assert sheet["B3"].comment is not None and "【错误】" in sheet["B3"].comment.text
    assert "标注副本：2 份" in result.out
    again = run_cli("batch", tmp_path / "in", "-o", tmp_path / "out", "--per-department", "-q")
    assert again.code == 1 and sorted(p.name for p in (tmp_path / "out").glob("*.标注.xlsx")) == copies


# ---- hostile text in what the batch writes and prints ------------------------------------------


def _xml_of(path: Path, sheet_index: int = 1) -> str:
    import zipfile

    return zipfile.ZipFile(path).read(f"xl/worksheets/sheet{sheet_index}.xml").decode("utf-8")


@pytest.mark.parametrize("dept", ['=HYPERLINK("http://evil.example","点我")', "=cmd|' /C calc'!A0", "+1+2", "@SUM(1)",
                                  "-2+3"])
def test_formula_like_department_names_are_text_in_the_summary(make_workbook, tmp_path, dept):
    make_workbook(named(dept), name="in/甲.xlsx")
    run_batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    summary = tmp_path / "out" / SUMMARY_XLSX
    assert "<f>" not in _xml_of(summary) and "<f>" not in _xml_of(summary, 2)
    cell = openpyxl.load_workbook(summary)["汇总"]["B2"]
    assert cell.value == dept and cell.data_type == "s" and cell.quotePrefix


def test_formula_like_file_name_is_text_in_the_summary(make_workbook, tmp_path):
    make_workbook(named("甲局"), name="in/=1+2.xlsx")
    (tmp_path / "in" / "=HYPERLINK(1).xlsx").write_bytes(b"PK\x03\x04 broken")
    run_batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    summary = tmp_path / "out" / SUMMARY_XLSX
    assert "<f>" not in _xml_of(summary) and "<f>" not in _xml_of(summary, 2)
    files = [c.value for c in openpyxl.load_workbook(summary)["汇总"]["A"][1:]]
    assert {Path(f).name for f in files} == {"=1+2.xlsx", "=HYPERLINK(1).xlsx"}


def test_control_characters_in_file_names_never_reach_the_terminal(make_workbook, tmp_path):
    make_workbook(named("甲局"), name="in/\x1b[2J\x07甲.xlsx")
    (tmp_path / "in" / "\x1b]0;x\x07坏.xlsx").write_bytes(b"PK\x03\x04 broken")
    result = run_cli("batch", tmp_path / "in", "-o", tmp_path / "out")
    assert "\x1b" not in result.text and "\x07" not in result.text
    assert "\\x1b[2J\\x07甲.xlsx" in result.out
    assert (tmp_path / "out" / SUMMARY_XLSX).is_file()
    files = [c.value for c in openpyxl.load_workbook(tmp_path / "out" / SUMMARY_XLSX)["汇总"]["A"][1:]]
    assert all("\x1b" not in f and "\\x1b" in f for f in files)


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names there are always Unicode")
def test_gbk_encoded_file_name_in_a_batch(make_workbook, tmp_path):
    source = make_workbook(named("甲局"), name="in/a.xlsx")
    gbk = os.fsdecode("财政局".encode("gbk") + b".xlsx")
    source.rename(source.with_name(gbk))
    (tmp_path / "in" / os.fsdecode("损坏".encode("gbk") + b".xlsx")).write_bytes(b"PK\x03\x04 broken")
    result = run_cli("batch", tmp_path / "in", "-o", tmp_path / "out")
    assert result.code == 1 and "程序内部出错" not in result.text and "Traceback" not in result.text
    assert "财政局.xlsx" in result.out or "损坏.xlsx" in result.out
    rows = summary_rows(tmp_path / "out")
    assert sorted(rows) == ["损坏.xlsx", "财政局.xlsx"] and rows["财政局.xlsx"]["status"] == "ok"
    assert openpyxl.load_workbook(tmp_path / "out" / SUMMARY_XLSX)["汇总"].max_row == 3


def test_conflict_reports_grow_linearly_with_the_duplicates(tmp_path):
    from genreport.batch import BatchResult, Item
    from genreport.batch.output import explain_conflicts
    from genreport.commands.batch import summary_table

    target = tmp_path / "out" / "甲局2024年度部门决算.docx"

    def duplicates(n):
        items = [Item(tmp_path / "in" / f"{i:05d}.xlsx", dept_name="甲局", year=2024, status="conflict", target=target)
                 for i in range(n)]
        explain_conflicts({"甲局": items})
        return items, summary_table(BatchResult(tmp_path / "out", items, 2))

    small, small_text = duplicates(200)
    large, large_text = duplicates(2000)
    assert max(len(i.first_error) for i in large) <= max(len(i.first_error) for i in small) + 1 < 400
    assert len(large_text) < 1000 and large_text.count("\n") == small_text.count("\n")
    assert "等 2000 份" in large_text and "等 1999 份" in large[0].first_error


def test_summary_cells_never_exceed_excels_limit(tmp_path):
    from genreport.excel import SummarySheet, write_summary

    path = write_summary(tmp_path / "汇总.xlsx", [SummarySheet("汇总", ["说明"], [["长" * 40_000], ["\x1b=1+2"]])])
    sheet = openpyxl.load_workbook(path)["汇总"]
    assert len(sheet["A2"].value) == 32_767 and sheet["A2"].value.endswith("（已截断）")
    assert sheet["A3"].value == "\\x1b=1+2"


def test_identical_files_are_processed_once_and_conflict(make_workbook, tmp_path):
    source = make_workbook(named("甲局"), name="in/甲.xlsx")
    for name in ("甲 - 副本.xlsx", "sub/甲.xlsx"):
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, tmp_path / "in" / name)
    make_workbook(named("乙局"), name="in/乙.xlsx")
    result = run_batch([tmp_path / "in"], tmp_path / "out", jobs=2)
    statuses = {i.source.relative_to(tmp_path / "in").as_posix(): i.status for i in result.items}
    assert statuses == {"甲.xlsx": "conflict", "甲 - 副本.xlsx": "conflict", "sub/甲.xlsx": "conflict", "乙.xlsx": "ok"}
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == ["乙局2024年度部门决算.docx"]
    assert all("等" not in i.first_error or "份" in i.first_error for i in result.items)


def test_identical_broken_copies_each_name_their_own_file(tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("坏一.xlsx", "坏二.xlsx"):
        (tmp_path / "in" / name).write_bytes(b"PK\x03\x04 not really a zip")
    result = run_batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    for item in result.items:
        other = "坏二" if item.source.stem == "坏一" else "坏一"
        assert item.status == "failed" and item.source.name in item.first_error and other not in item.first_error
    rows = summary_rows(tmp_path / "out")
    assert "坏二.xlsx" in rows["坏二.xlsx"]["problems"][0]["message"]


def test_the_summary_shows_the_presenters_names_for_files(tmp_path):
    """A finding names a file by its path: the summary writer shows the name the presenter gives (the web page's)."""
    from genreport.batch import Shown, write_summaries

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "wb-0001.xlsx").write_bytes(b"not a workbook")
    result = run_batch([tmp_path / "in" / "wb-0001.xlsx"], tmp_path / "out", jobs=1)
    server = str(tmp_path / "in" / "wb-0001.xlsx")
    assert "wb-0001.xlsx" in result.items[0].first_error
    write_summaries(result, Shown({server: "各部门/坏.xlsx", "wb-0001.xlsx": "坏.xlsx"}))
    text = (tmp_path / "out" / SUMMARY_JSON).read_text(encoding="utf-8")
    assert "wb-0001" not in text and "各部门/坏.xlsx" in text
    sheet = openpyxl.load_workbook(tmp_path / "out" / SUMMARY_XLSX)["问题清单"]
    assert all("wb-0001" not in str(cell.value) for row in sheet.iter_rows() for cell in row)


def test_a_workers_outcome_is_frozen_and_crosses_processes(make_workbook, tmp_path):
    import dataclasses
    import pickle

    from genreport.batch import Outcome, Status
    from genreport.batch.worker import process_one

    source = make_workbook(missing_prior, name="错.xlsx")
    (tmp_path / "staging").mkdir()
    outcome = process_one(str(source), str(tmp_path / "staging"), 0, str(tmp_path), False, None, False, False, False)
    assert isinstance(outcome, Outcome) and outcome.status is Status.INVALID and outcome.errors
    assert pickle.loads(pickle.dumps(outcome)) == outcome
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.status = Status.OK  # type: ignore[misc]


def test_identical_invalid_copies_each_get_their_own_annotated_copy(make_workbook, tmp_path):
    source = make_workbook(missing_prior, name="in/错一.xlsx")
    shutil.copyfile(source, tmp_path / "in" / "错二.xlsx")
    result = run_batch([tmp_path / "in"], tmp_path / "out", jobs=1, per_department=True)
    assert [(i.source.name, i.status, i.errors) for i in result.items] == [("错一.xlsx", "invalid", 1),
                                                                          ("错二.xlsx", "invalid", 1)]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.标注.xlsx")) == ["错一.标注.xlsx", "错二.标注.xlsx"]
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == []


def test_batch_keeps_a_document_edited_since_it_was_written(sample_path, tmp_path):
    """A department's edited .docx in the output folder is never replaced silently (with --force: a backup)."""
    from docx import Document

    from genreport.batch import run_batch

    out = tmp_path / "out"
    first = run_batch([sample_path], out, jobs=1)
    document = first.items[0].output
    edited = Document(str(document))
    edited.add_paragraph("编辑补充的一段")
    edited.save(str(document))
    again = run_batch([sample_path], out, jobs=1)
    assert again.items[0].status == "failed" and "被修改过" in again.items[0].first_error
    assert "编辑补充的一段" in [p.text for p in Document(str(document)).paragraphs]
    forced = run_batch([sample_path], out, jobs=1, force=True)
    assert forced.items[0].output == document
    backups = list(out.glob("*.备份*.docx"))
    assert len(backups) == 1 and "编辑补充的一段" in [p.text for p in Document(str(backups[0])).paragraphs]
