"""The work a batch does in its worker processes: one workbook in, one picklable Outcome out.

The worker runs the pipeline's stages (pipeline.py) itself, reading the workbook once, and never a verb.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from ..address import Address
from ..errors import GenreportError
from ..issues import ERROR, WARNING, Issue
from .items import FAILED, FORCED, INVALID, OK, SKIPPED, Outcome

T = TypeVar("T")


def process_one(source: str, staging: str, index: int, outdir: str, force: bool, template: str | None,
                skip_existing: bool, pdf: bool, annotate: bool) -> Outcome:
    """Return the outcome of one workbook (runs in a worker process).

    The document is written to staging/<index>.docx and its SHA-256 returned, so that the parent can verify
    it moves this workbook's document and no other; target is where it belongs in outdir. With skip_existing
    nothing is rendered when the document is newer than the workbook. With annotate, a workbook with errors or
    warnings also gets an annotated copy staging/<index>.xlsx.
    """
    return process_many([(source, staging, index, outdir, force, template, skip_existing, pdf, annotate)])[0]


def process_many(tasks: list[tuple[Any, ...]]) -> list[Outcome]:
    """Return the outcomes of several workbooks (process_one's arguments each), in order, as a pipeline.

    Each workbook is read, checked and rendered here while the LibreOffice step (--pdf) of the one before runs in
    a second thread, so that the worker and its LibreOffice do not wait for each other.
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    if any(task[7] for task in tasks):
        from ..pdf import start_soon

        start_soon()  # this worker's LibreOffice (kept for its documents) starts while the first one is made
    office = ThreadPoolExecutor(max_workers=1, thread_name_prefix="genreport-office")
    pending: list[Future[Outcome]] = []
    try:
        for task in tasks:
            if len(pending) >= 2:  # one converting, one waiting: no more workbooks held at once than that
                pending[-2].result()
            pending.append(office.submit(_begun(*task)))  # the next begins while the office works
        outcomes = [future.result() for future in pending]
    except BaseException:
        office.shutdown(wait=False, cancel_futures=True)
        raise
    office.shutdown()
    return outcomes


def _begun(source: str, staging: str, index: int, outdir: str, force: bool, template: str | None,
           skip_existing: bool, pdf: bool, annotate: bool) -> Callable[[], Outcome]:
    """Read, check and render one workbook; return what finishes it (the LibreOffice step with pdf, the digest)."""
    from ..pipeline import office_step, open_job, output_path, read_and_check, render_checked

    path, staged = Path(source), Path(staging) / f"{index}.docx"
    marked = Path(staging) / f"{index}.xlsx"
    started = time.perf_counter()

    def work() -> Outcome | Callable[[], Outcome]:
        job = read_and_check(open_job(path, None, Path(template) if template else None))
        workbook, report, target = job.workbook, job.report, output_path(job, Path(outdir))
        found = Outcome(INVALID, workbook.dept_name, workbook.year, target, _problems(report))
        if skip_existing and (report.valid or force) and _newer(target, path) \
                and (not pdf or _newer(target.with_suffix(".pdf"), path)):
            return replace(found, status=SKIPPED, pdf=pdf, staged_annotated=_annotated(annotate, path, marked, report))
        made = render_checked(job, staged, force=force, pdf=pdf, office=False)
        problems, annotated = _problems(made.report), _annotated(annotate, path, marked, made.report)
        output = made.output  # what finish needs, so that the workbook itself need not be kept until then

        def finish() -> Outcome:
            office = office_step(output, pdf, False) if output else None
            status = INVALID if output is None else FORCED if any(i.severity == ERROR for i in problems) else OK
            return replace(found, status=status, problems=problems, staged=staged if output else None,
                           digest=digest(staged) if output else "",
                           staged_pdf=office.pdf if office and office.pdf else None,
                           note="；".join(office.notes) if office else "", staged_annotated=annotated)

        return finish

    begun = _guarded(work, path)
    if isinstance(begun, Outcome):
        return lambda: _stamped(begun, started)
    return lambda: _stamped(_guarded(begun, path, collect=False), started)


def digest(path: Path) -> str:
    """Return the SHA-256 of a file (hex)."""
    with Path(path).open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest() if hasattr(hashlib, "file_digest") \
            else hashlib.sha256(stream.read()).hexdigest()


def failure(why: str | GenreportError, source: Path | None = None) -> Issue:
    """Return why a workbook could not be processed as an Issue (workbook-failed).

    An error keeps its template and the file paths it names as fields; the mentions of source in a sentence
    (or in an error's finished text) become fields too.
    """
    from ..catalogue import bundled_catalogue

    files = {"file": Path(source), "name": Path(Path(source).name)} if source is not None else {}
    return bundled_catalogue().issue("workbook-failed", Address(), why, **files)


def _problems(report: Any) -> tuple[Issue, ...]:
    """Return the report's errors and warnings, errors first in workbook order."""
    return tuple(i for i in report.sorted_issues() if i.severity in (ERROR, WARNING))


def _annotated(wanted: bool, source: Path, staged: Path, report: Any) -> Path | None:
    """Write the annotated copy of a workbook with errors or warnings when wanted; return where it is."""
    if not wanted or not any(i.severity in (ERROR, WARNING) for i in report.issues):
        return None
    from ..excel import annotate_workbook

    annotate_workbook(source, staged, report.issues)
    return staged


def _newer(target: Path, source: Path) -> bool:
    try:
        return target.stat().st_mtime_ns > source.stat().st_mtime_ns
    except OSError:
        return False


def _guarded(work: Callable[[], T], source: Path, collect: bool = True) -> T | Outcome:
    """Return what work returns, or the FAILED outcome that says in one sentence why it could not."""
    from ..collector import collected_afterwards

    try:
        with collected_afterwards() if collect else nullcontext():
            return work()
    except GenreportError as exc:
        return Outcome(FAILED, problems=(failure(exc, source),))
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - one workbook must never stop the batch
        return Outcome(FAILED, problems=(failure(f"程序内部出错（{type(exc).__name__}：{exc}），"
                                                 "请把该工作簿反馈给技术支持", source),))


def _stamped(outcome: Outcome, started: float) -> Outcome:
    """Return the outcome with its time since started, this process and its resource use so far."""
    return replace(outcome, seconds=time.perf_counter() - started, pid=os.getpid(), **_usage_now())


def usage_scale() -> float:
    """Return the factor from ru_maxrss to MB on this platform."""
    return 1 / (1024 * 1024) if sys.platform == "darwin" else 1 / 1024


def _usage_now() -> dict[str, Any]:
    """Return this process's peak memory (ru_maxrss) and CPU seconds so far; zeros where unknown."""
    try:
        import resource
    except ImportError:  # Windows
        return {"peak_kb": 0, "cpu": 0.0}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}
