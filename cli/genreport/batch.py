"""Batch generation: check and generate many workbooks in parallel processes, never stopping on one."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import GenreportError, OutputError
from .issues import ERROR
from .outcome import Done, Outcome
from .pool import run_parallel

SUMMARY_XLSX = "汇总.xlsx"
SUMMARY_JSON = "汇总.json"

PENDING, OK, FORCED, SKIPPED, INVALID, FAILED, CONFLICT = (
    "pending", "ok", "forced", "skipped", "invalid", "failed", "conflict")
STATUS_LABEL = {
    PENDING: "未处理", OK: "已生成", FORCED: "已生成（有错误）", SKIPPED: "已是最新，跳过",
    INVALID: "有错误，未生成", FAILED: "无法处理", CONFLICT: "部门重名，未生成",
}
#: Statuses that count as a problem for the exit code and the progress line.
PROBLEMS = {FORCED, INVALID, FAILED, CONFLICT}
COLUMNS = ["文件", "部门名称", "年度", "状态", "错误数", "警告数", "第一个错误", "输出文件", "用时秒"]


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

    def to_dict(self) -> dict[str, Any]:
        """Return the row as a JSON-ready dict."""
        return {
            "file": str(self.source), "dept_name": self.dept_name, "year": self.year, "status": self.status,
            "status_label": STATUS_LABEL[self.status], "errors": self.errors, "warnings": self.warnings,
            "first_error": self.first_error, "output": self.output.name if self.output else "",
            "pdf": self.pdf.name if self.pdf else "", "note": self.note,
            "seconds": round(self.seconds, 3),
        }

    def to_row(self) -> list[object]:
        """Return the row in COLUMNS order, for the summary workbook."""
        row = self.to_dict()
        return [row["file"], self.dept_name, self.year, STATUS_LABEL[self.status], self.errors, self.warnings,
                self.first_error, row["output"], row["seconds"]]


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
        """Return True when every workbook was generated (or skipped as up to date) without errors."""
        return all(item.status in (OK, SKIPPED) for item in self.items)

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

    A folder gives its *.xlsx files recursively (skipping ~$ lock files, hidden files and genreport's own
    outputs); a .txt file is a manifest: one path per line, relative to the manifest, # starts a comment.
    Paths that do not exist are kept: the batch reports them as failures.
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
            yield from sorted(p for p in path.rglob("*") if p.is_file() and _is_workbook(p, outdir))
        elif path.suffix.lower() == ".txt" and path.is_file():
            yield from _expand(_read_manifest(path), outdir)
        else:
            yield path


def _is_workbook(path: Path, outdir: Path) -> bool:
    if path.suffix.lower() != ".xlsx" or path.name.startswith(("~$", ".")) or path.stem.endswith(".标注"):
        return False
    return not (path.name == SUMMARY_XLSX and path.parent.resolve() == outdir.resolve())


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
              progress: Callable[[Progress], None] | None = None) -> BatchResult:
    """Check and generate every workbook into outdir; write 汇总.xlsx and 汇总.json there.

    Each workbook is read once: a worker generates its document into a staging folder and the document
    is moved to its final name as soon as it is done. Two workbooks that would write the same document
    are both refused (status conflict), whatever their order: a document already moved for the first one
    is withdrawn when the second appears. skip_existing keeps documents newer than their workbook; force
    generates despite errors; pdf also writes each document's PDF through LibreOffice. Raises
    GenreportError only when nothing can be done (no workbook found, outdir not writable).
    """
    started = time.perf_counter()
    outdir = Path(outdir)
    staging = _prepare_outdir(outdir)
    items = [Item(path) for path in collect_inputs(inputs, outdir)]
    if not items:
        raise GenreportError("没有找到任何 .xlsx 工作簿，请检查输入的文件、文件夹或清单。")
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(items)))
    workers: dict[int, tuple[int, float]] = {}
    claims: dict[str, list[Item]] = {}
    options = (str(outdir), force, str(template) if template else None, skip_existing, pdf)
    tasks = {index: (str(item.source), str(staging / f"{index}.docx"), *options) for index, item in enumerate(items)}

    def finish(index: int, result: Outcome | dict[str, Any]) -> None:
        outcome = Outcome.of(result)
        _apply(items[index], outcome, workers)
        _claim(items[index], claims, outcome)
        if progress:
            progress(_progress(items, time.perf_counter() - started))

    try:
        run_parallel(_process_one, tasks, jobs, finish)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _explain_conflicts(claims)
    result = BatchResult(outdir, items, jobs, time.perf_counter() - started, *_usage(workers))
    result.summary_files = write_summaries(result)
    return result


STAGING = ".genreport-staging"


def _progress(items: list[Item], elapsed: float) -> Progress:
    statuses = Counter(item.status for item in items)
    problems = sum(statuses[status] for status in PROBLEMS)
    return Progress("处理", len(items) - statuses[PENDING], len(items), problems, elapsed)


def _prepare_outdir(outdir: Path) -> Path:
    """Create outdir, remove what an interrupted run left behind, and return an empty staging folder."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        for stale in outdir.glob(".*.tmp"):
            if stale.name.endswith((".docx.tmp", ".xlsx.tmp", ".json.tmp")):
                stale.unlink(missing_ok=True)
        staging = outdir / STAGING
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
    except OSError as exc:
        raise OutputError(f"无法写入输出文件夹 {outdir}（{exc.strerror or exc}），请换一个有写入权限的位置。") from exc
    return staging


def _apply(item: Item, outcome: Outcome, workers: dict[int, tuple[int, float]]) -> None:
    item.seconds += outcome.seconds
    if outcome.pid:  # peak memory and CPU time only grow during a worker's life
        workers[outcome.pid] = (outcome.peak_kb, outcome.cpu)
    for key in ("dept_name", "year", "errors", "warnings", "first_error", "note"):
        setattr(item, key, getattr(outcome, key))
    item.target = Path(outcome.target) if outcome.target else None
    if outcome.done is Done.FAILED:
        item.status = FAILED
    elif outcome.done is Done.SKIPPED and item.target is not None:
        item.status, item.output = SKIPPED, item.target
        item.pdf = item.target.with_suffix(".pdf") if outcome.pdf else None
    elif outcome.done is Done.STAGED:
        item.status = FORCED if item.errors else OK
    else:
        item.status = INVALID


def _claim(item: Item, claims: dict[str, list[Item]], outcome: Outcome) -> None:
    """Move item's staged document (and PDF) to its name, or refuse it and whoever claimed the name before."""
    if item.status not in (OK, FORCED, SKIPPED) or item.target is None:
        return
    group = claims.setdefault(unicodedata.normalize("NFC", item.target.name).casefold(), [])
    group.append(item)
    if len(group) > 1:
        for each in group:
            for made in (each.output, each.pdf):
                if made is not None and each.status != CONFLICT:
                    made.unlink(missing_ok=True)
            each.status, each.output, each.pdf = CONFLICT, None, None
        return
    try:
        if outcome.staged:
            os.replace(outcome.staged, item.target)
            item.output = item.target
        if outcome.staged_pdf:
            item.pdf = item.target.with_suffix(".pdf")
            os.replace(outcome.staged_pdf, item.pdf)
    except OSError as exc:
        item.status = FAILED
        item.first_error = f"无法写入 {item.target.name}（{exc.strerror or exc}），可能该文件正被打开，请关闭后重试"


def _explain_conflicts(claims: dict[str, list[Item]]) -> None:
    for group in (g for g in claims.values() if len(g) > 1):
        for item in group:
            others = "、".join(str(other.source) for other in group if other is not item)
            item.first_error = (f"与 {others} 的部门名称和年度相同，都会生成 {group[0].target.name}；"
                                "两份都未生成，请核对后只保留一份")


def _newer(target: Path, source: Path) -> bool:
    try:
        return target.stat().st_mtime_ns > source.stat().st_mtime_ns
    except OSError:
        return False


def _usage(workers: dict[int, tuple[int, float]]) -> tuple[float, float]:
    """Return the largest worker's peak memory in MB and the CPU seconds of all workers."""
    scale = 1 / (1024 * 1024) if sys.platform == "darwin" else 1 / 1024
    return max((p for p, _ in workers.values()), default=0) * scale, sum(c for _, c in workers.values())


# ---- work done in the worker processes -------------------------------------------


def _process_one(source: str, staged: str, outdir: str, force: bool, template: str | None,
                 skip_existing: bool, pdf: bool) -> Outcome:
    """Return the outcome of one workbook (runs in a worker process); the workbook is read once.

    The document is written to staged; target is where it belongs in outdir. With skip_existing nothing
    is rendered when its document (and PDF) is newer than the workbook.
    """
    from .api import check_workbook, choose_template, output_path, render_checked

    def work() -> Outcome:
        path = Path(source)
        profile, chosen = choose_template(Path(template) if template else None)
        workbook, report = check_workbook(path, profile)
        found = _found(workbook, report, output_path(workbook, Path(outdir), path))
        if skip_existing and (report.valid or force):
            target = Path(found.target)
            if _newer(target, path) and (not pdf or _newer(target.with_suffix(".pdf"), path)):
                return replace(found, done=Done.SKIPPED, pdf=pdf)
        made = render_checked(workbook, report, path, Path(staged), force=force, template=chosen, pdf=pdf)
        office = made.office
        return replace(found, done=Done.STAGED if made.output else Done.REFUSED,
                       staged=staged if made.output else None, errors=len(made.report.errors),
                       warnings=len(made.report.warnings), staged_pdf=str(office.pdf) if office and office.pdf else None,
                       note="；".join(office.notes) if office else "")

    return _guarded(work)


def _found(workbook: Any, report: Any, target: Path) -> Outcome:
    """Return a not-yet-decided outcome carrying the workbook's identity and its problem counts."""
    errors = [issue for issue in report.sorted_issues() if issue.severity == ERROR]
    first = ""
    if errors:
        first = f"{errors[0].where}：{errors[0].message}" if errors[0].where else errors[0].message
    return Outcome(Done.REFUSED, dept_name=workbook.dept_name, year=workbook.year, errors=len(errors),
                   warnings=len(report.warnings), first_error=first, target=str(target))


def _guarded(work: Callable[[], Outcome]) -> Outcome:
    started = time.perf_counter()
    try:
        outcome = work()
    except GenreportError as exc:
        outcome = Outcome(Done.FAILED, first_error=str(exc))
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - one workbook must never stop the batch
        outcome = Outcome(Done.FAILED, first_error=f"程序内部出错（{type(exc).__name__}：{exc}），请把该工作簿反馈给技术支持")
    return replace(outcome, seconds=time.perf_counter() - started, pid=os.getpid(), **_usage_now())


def _usage_now() -> dict[str, Any]:
    """Return this process's peak memory (ru_maxrss) and CPU seconds so far; zeros where unknown."""
    try:
        import resource
    except ImportError:  # Windows
        return {"peak_kb": 0, "cpu": 0.0}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}


# ---- summary -------------------------------------------------------------------------


def write_summaries(result: BatchResult) -> list[Path]:
    """Write OUTDIR/汇总.xlsx (one row per workbook, problems coloured) and 汇总.json; return both paths."""
    from .excel import write_summary
    from .files import atomic_write

    marks = ["error" if i.status in PROBLEMS - {FORCED} else "warning" if i.status == FORCED else None
             for i in result.items]
    xlsx = write_summary(result.outdir / SUMMARY_XLSX, COLUMNS, [i.to_row() for i in result.items], marks)
    text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
    data = atomic_write(result.outdir / SUMMARY_JSON, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return [xlsx, data]
