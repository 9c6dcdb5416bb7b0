"""Batch generation: check and generate many workbooks in parallel processes, never stopping on one."""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .batch_output import claim, explain_conflicts, locked, place_annotated, write_summaries
from .batch_worker import process_one, usage_scale
from .errors import GenreportError, OutputError
from .filenames import file_key
from .visible import printable
from .pool import run_parallel

SUMMARY_XLSX = "汇总.xlsx"
SUMMARY_JSON = "汇总.json"

PENDING, OK, FORCED, SKIPPED, INVALID, FAILED, CONFLICT = (
    "pending", "ok", "forced", "skipped", "invalid", "failed", "conflict")
#: The outcomes of checking a folder of publications (genreport check 文件夹/ -o 输出目录).
PASSED, FOUND = "passed", "found"
#: One word each, without punctuation, so that a line of counts ("已生成 19，重名未生成 2") reads unambiguously.
STATUS_LABEL = {
    PENDING: "未处理", OK: "已生成", FORCED: "带错生成", SKIPPED: "已跳过",
    INVALID: "有错未生成", FAILED: "无法处理", CONFLICT: "重名未生成", PASSED: "检查通过", FOUND: "有错误",
}
#: Statuses that count as a problem for the exit code and the progress line.
PROBLEMS = {FORCED, INVALID, FAILED, CONFLICT, FOUND}
COLUMNS = ["文件", "部门名称", "年度", "状态", "错误数", "警告数", "第一个错误", "输出文件", "用时秒"]
PROBLEM_COLUMNS = ["部门", "文件", "工作表", "单元格", "级别", "说明"]
SEVERITY_WORD = {"error": "错误", "warning": "警告"}


@dataclass
class Item:
    """One workbook of the batch and what became of it (one row of the summary)."""

    source: Path
    dept_name: str = ""
    year: int | str | None = None
    status: str = PENDING
    errors: int = 0
    warnings: int = 0
    first_error: str = ""
    """The first error as 工作表!单元格：说明, or why the workbook could not be processed."""
    target: Path | None = None
    """Where its document goes (None until the workbook was read)."""
    output: Path | None = None
    """The document written or kept by this run, None when there is none."""
    pdf: Path | None = None
    """Its PDF (with pdf=True), None when there is none."""
    note: str = ""
    """What the LibreOffice step reported (for example that no PDF could be made)."""
    seconds: float = 0.0
    problems: list[list[str]] = field(default_factory=list)
    """Every error and warning as [工作表, 单元格, severity, 说明] (the 问题清单 of the summary)."""
    annotated: Path | None = None
    """The annotated copy written with per_department, None when there is none."""

    @property
    def shown_source(self) -> str:
        """Return the file name as it may be shown or written anywhere (escaped, GBK names decoded)."""
        return printable(str(self.source))

    def to_dict(self) -> dict[str, Any]:
        """Return the row as a JSON-ready dict."""
        return {
            "file": self.shown_source, "dept_name": self.dept_name, "year": self.year, "status": self.status,
            "status_label": STATUS_LABEL[self.status], "errors": self.errors, "warnings": self.warnings,
            "first_error": printable(self.first_error), "output": self.output.name if self.output else "",
            "pdf": self.pdf.name if self.pdf else "", "annotated": self.annotated.name if self.annotated else "",
            "note": self.note, "seconds": round(self.seconds, 3),
            "problems": [dict(zip(("sheet", "cell", "severity", "message"), p)) for p in self.problems],
        }

    def to_row(self) -> list[object]:
        """Return the row in COLUMNS order, for the summary workbook."""
        return [self.shown_source, self.dept_name, self.year, STATUS_LABEL[self.status], self.errors,
                self.warnings, printable(self.first_error), self.output.name if self.output else "",
                round(self.seconds, 3)]

    def problem_rows(self) -> list[list[object]]:
        """Return the rows of the 问题清单 sheet for this workbook (PROBLEM_COLUMNS order)."""
        name = printable(self.dept_name or self.source.stem)
        return [[name, self.shown_source, sheet, cell, SEVERITY_WORD.get(severity, severity), printable(text)]
                for sheet, cell, severity, text in self.problems]


@dataclass
class Progress:
    """Where the batch stands: phase names the step shown to the user (处理)."""

    phase: str
    done: int
    total: int
    problems: int
    elapsed: float

    @property
    def rate(self) -> float:
        """Return workbooks per second in this phase (0 before the first one)."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


@dataclass
class BatchResult:
    """Everything a batch did: one Item per workbook, in input order."""

    outdir: Path
    items: list[Item]
    jobs: int
    seconds: float = 0.0
    worker_peak_mb: float = 0.0
    """The largest peak resident memory of one worker process (0 when unknown)."""
    worker_cpu_seconds: float = 0.0
    """The CPU time all worker processes used (0 when unknown)."""
    summary_files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when every workbook was generated (or skipped as up to date, or passed) without errors."""
        return all(item.status in (OK, SKIPPED, PASSED) for item in self.items)

    def counts(self) -> Counter[str]:
        """Return how many workbooks ended in each status."""
        return Counter(item.status for item in self.items)

    def to_dict(self) -> dict[str, Any]:
        """Return the whole batch as a JSON-ready dict."""
        return {
            "outdir": str(self.outdir), "jobs": self.jobs, "seconds": round(self.seconds, 2),
            "worker_peak_mb": round(self.worker_peak_mb, 1), "worker_cpu_seconds": round(self.worker_cpu_seconds, 1),
            "counts": dict(self.counts()),
            "items": [item.to_dict() for item in self.items],
        }


# ---- inputs --------------------------------------------------------------------


def collect_inputs(inputs: Iterable[Path], outdir: Path) -> list[Path]:
    """Return the workbooks named by inputs, in order and without duplicates.

    A folder gives its *.xlsx files recursively (skipping ~$ lock files, hidden files and folders and
    annotated copies); a .txt file is a manifest: one path per line, relative to the manifest, # starts a
    comment. Manifest lines naming no file are kept: the batch reports them as failures.
    """
    seen: set[Path] = set()
    found: list[Path] = []
    for path in _expand(inputs, Path(outdir)):
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append(path)
    return found


def _expand(inputs: Iterable[Path], outdir: Path) -> Iterator[Path]:
    for entry in inputs:
        path = Path(entry)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if _is_workbook(p, path) and p.is_file())
        elif path.suffix.lower() == ".txt" and path.is_file():
            yield from _expand(_read_manifest(path), outdir)
        else:
            yield path


def _is_workbook(path: Path, folder: Path) -> bool:
    if path.suffix.lower() != ".xlsx" or path.name.startswith("~$") or path.stem.endswith(".标注"):
        return False
    return not any(part.startswith(".") for part in path.relative_to(folder).parts)


def _read_manifest(manifest: Path) -> list[Path]:
    raw = manifest.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    lines = (line.strip() for line in text.splitlines())
    return [Path(os.path.normpath(manifest.parent / line)) for line in lines if line and not line.startswith("#")]


# ---- the batch -----------------------------------------------------------------


def run_batch(inputs: Iterable[Path], outdir: Path, jobs: int | None = None, force: bool = False,
              skip_existing: bool = False, template: Path | None = None, pdf: bool = False,
              progress: Callable[[Progress], None] | None = None, per_department: bool = False) -> BatchResult:
    """Check and generate every workbook into outdir; write 汇总.xlsx and 汇总.json there.

    Each workbook is read once: a worker generates its document into a staging folder and the document
    is moved to its final name as soon as it is done. Two workbooks that would write the same document
    are both refused (status conflict), whatever their order: a document already moved for the first one
    is withdrawn when the second appears. skip_existing keeps documents newer than their workbook; force
    generates despite errors; pdf also writes each document's PDF through LibreOffice; per_department also
    writes <工作簿>.标注.xlsx for every workbook with errors or warnings, ready to send back. Files with
    identical content are processed once and share the outcome (so they conflict at once). Raises
    GenreportError only when nothing can be done (an input missing, no workbook found, outdir not writable or
    in use by another batch, an input that an output would overwrite).
    """
    started = time.perf_counter()
    outdir = Path(outdir)
    inputs = [Path(p) for p in inputs]
    _refuse_missing(inputs)
    sources = _without_own_summary(collect_inputs(inputs, outdir), outdir)
    if not sources:
        raise GenreportError("没有找到任何 .xlsx 工作簿，请检查输入的文件、文件夹或清单。")
    with locked(outdir) as staging:
        items = [Item(path) for path in sources]
        protected = _protected(sources, template)
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(items)))
        workers: dict[int, tuple[int, float]] = {}
        claims: dict[str, list[Item]] = {}
        taken: set[str] = set()
        options = (str(outdir), force, str(template) if template else None, skip_existing, pdf, per_department)
        copies = _identical(sources)
        tasks = {index: (str(items[index].source), str(staging), index, *options) for index in copies}

        def finish(index: int, outcome: dict[str, Any]) -> None:
            for member in [*copies[index], index]:  # the copies first: they still need the staged files
                shared = outcome if member == index else _shared(outcome, items[index].source, items[member].source)
                _apply(items[member], shared, workers)
                claim(items[member], claims, shared, protected, force)
                place_annotated(items[member], shared, outdir, protected, taken)
            if progress:
                progress(_progress(items, time.perf_counter() - started))

        run_parallel(process_one, tasks, jobs, finish)
        explain_conflicts(claims)
        result = BatchResult(outdir, items, jobs, time.perf_counter() - started, *_usage(workers))
        result.summary_files = write_summaries(result)
    return result


def _identical(sources: list[Path]) -> dict[int, list[int]]:
    """Return {index of a workbook to process: indexes of the other inputs with identical bytes}."""
    from .batch_worker import digest

    first: dict[str, int] = {}
    copies: dict[int, list[int]] = {}
    for index, path in enumerate(sources):
        try:
            key = digest(path)
        except OSError:  # missing or unreadable: processed on its own, the worker says why
            copies[index] = []
            continue
        if key in first:
            copies[first[key]].append(index)
        else:
            first[key] = index
            copies[index] = []
    return copies


def _shared(outcome: dict[str, Any], source: Path, copy: Path) -> dict[str, Any]:
    """Return the outcome of a workbook for an identical copy: its own file name in the texts, no staged
    document (the copies conflict), its own staged annotated copy."""
    def own(text: str) -> str:
        return text.replace(str(source), str(copy)).replace(source.name, copy.name)

    shared = {k: v for k, v in outcome.items() if k not in ("staged", "staged_pdf", "digest", "staged_annotated")}
    shared["generated"] = bool(outcome.get("staged"))
    for key in ("failure", "first_error", "note"):
        if isinstance(outcome.get(key), str):
            shared[key] = own(outcome[key])
    shared["problems"] = [[*p[:3], own(p[3])] for p in outcome.get("problems", [])]
    if outcome.get("staged_annotated"):
        staged = Path(outcome["staged_annotated"])
        mine = staged.with_name(f"{staged.stem}-{abs(hash(str(copy)))}.xlsx")
        shutil.copyfile(staged, mine)
        shared["staged_annotated"] = str(mine)
    return shared


def _refuse_missing(inputs: list[Path]) -> None:
    """Raise (a usage error) when an input named on the command line does not exist: a typo'd folder."""
    for path in inputs:
        try:
            missing = not path.exists()
        except OSError:
            missing = True
        if missing:
            raise GenreportError(f"找不到输入“{printable(str(path))}”，请检查文件或文件夹的名称和位置。")


def _without_own_summary(sources: list[Path], outdir: Path) -> list[Path]:
    """Return sources without a summary an earlier batch wrote into outdir; refuse a workbook in its place."""
    from .excel import is_summary

    summary = outdir / SUMMARY_XLSX
    kept = []
    for path in sources:
        if path.name == SUMMARY_XLSX and path.parent.resolve() == outdir.resolve() or _same(path, summary):
            if is_summary(path):
                continue
            raise OutputError(f"输入中的“{printable(str(path))}”与批量汇总同名，会被汇总覆盖，"
                              "请把这份工作簿改名或换一个输出文件夹。")
        kept.append(path)
    return kept


def _same(a: Path, b: Path) -> bool:
    key = file_key(a)
    return key is not None and key == file_key(b)


def _protected(sources: list[Path], template: Path | None) -> dict[tuple[int, int], str]:
    """Return {file identity: what it is} of every input, which no output may replace."""
    found = {file_key(path): "输入的工作簿" for path in sources}
    if template is not None:
        found[file_key(Path(template))] = "模板"
    found.pop(None, None)  # type: ignore[call-overload]
    return found  # type: ignore[return-value]


def _progress(items: list[Item], elapsed: float) -> Progress:
    statuses = Counter(item.status for item in items)
    problems = sum(statuses[status] for status in PROBLEMS)
    return Progress("处理", len(items) - statuses[PENDING], len(items), problems, elapsed)


def _apply(item: Item, outcome: dict[str, Any], workers: dict[int, tuple[int, float]]) -> None:
    item.seconds += outcome.get("seconds", 0.0)
    if "pid" in outcome:  # peak memory and CPU time only grow during a worker's life
        workers[outcome["pid"]] = (outcome["peak_kb"], outcome["cpu"])
    for key in ("dept_name", "year", "errors", "warnings", "first_error", "note", "problems"):
        if key in outcome:
            setattr(item, key, outcome[key])
    item.target = Path(outcome["target"]) if outcome.get("target") else None
    if "failure" in outcome:
        item.status, item.first_error, item.errors = FAILED, outcome["failure"], max(item.errors, 1)
        item.problems = item.problems or [["", "", "error", outcome["failure"]]]
    elif outcome.get("skipped"):
        item.status, item.output = SKIPPED, item.target
        item.pdf = item.target.with_suffix(".pdf") if outcome.get("pdf") else None
    elif outcome.get("staged") or outcome.get("generated"):
        item.status = FORCED if item.errors else OK
    else:
        item.status = INVALID


def _usage(workers: dict[int, tuple[int, float]]) -> tuple[float, float]:
    """Return the largest worker's peak memory in MB and the CPU seconds of all workers."""
    scale = usage_scale()
    return max((p for p, _ in workers.values()), default=0) * scale, sum(c for _, c in workers.values())


