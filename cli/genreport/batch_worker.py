"""The work a batch does in its worker processes: one workbook in, one picklable outcome out."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import GenreportError
from .issues import ERROR, WARNING


def process_one(source: str, staging: str, index: int, outdir: str, force: bool, template: str | None,
                skip_existing: bool, pdf: bool, annotate: bool) -> dict[str, Any]:
    """Return the outcome of one workbook (runs in a worker process).

    The document is written to staging/<index>.docx and its SHA-256 returned, so that the parent can verify
    it moves this workbook's document and no other; "target" is where it belongs in outdir. With
    skip_existing nothing is rendered when the document is newer than the workbook. With annotate, a
    workbook with errors or warnings also gets an annotated copy staging/<index>.xlsx.
    """
    from .api import checked_job
    from .pipeline import output_path, read_and_check, open_job, render_checked

    path, staged = Path(source), Path(staging) / f"{index}.docx"

    def work() -> dict[str, Any]:
        if skip_existing:  # checked once: rendered from the same reading unless its document is up to date
            job = checked_job(path, None, Path(template) if template else None)
            found = {**_identity(job.workbook, output_path(job, Path(outdir))), **_counts(job.report)}
            found.update(_annotated(annotate, path, Path(staging) / f"{index}.xlsx", job.report))
            if not job.report.valid and not force:
                return found
            target = Path(found["target"])
            if _newer(target, path) and (not pdf or _newer(target.with_suffix(".pdf"), path)):
                return {**found, "skipped": True, "pdf": pdf}
        else:
            job = read_and_check(open_job(path, None, Path(template) if template else None))
        made = render_checked(job, staged, force=force, pdf=pdf)
        target = output_path(job, Path(outdir)) if made.workbook else None
        office = made.office
        outcome = {**_identity(made.workbook, target), **_counts(made.report),
                   "staged": str(staged) if made.output else None, "digest": digest(staged) if made.output else "",
                   "staged_pdf": str(office.pdf) if office and office.pdf else None,
                   "note": "；".join(office.notes) if office else ""}
        return {**outcome, **_annotated(annotate, path, Path(staging) / f"{index}.xlsx", made.report)}

    return _guarded(work)


def digest(path: Path) -> str:
    """Return the SHA-256 of a file (hex)."""
    with Path(path).open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest() if hasattr(hashlib, "file_digest") \
            else hashlib.sha256(stream.read()).hexdigest()


def _annotated(wanted: bool, source: Path, staged: Path, report: Any) -> dict[str, Any]:
    """Write the annotated copy of a workbook with errors or warnings when wanted; return where it is."""
    if not wanted or not any(i.severity in (ERROR, WARNING) for i in report.issues):
        return {}
    from .excel import annotate_workbook

    annotate_workbook(source, staged, report.issues)
    return {"staged_annotated": str(staged)}


def _identity(workbook: Any, target: Path | None) -> dict[str, Any]:
    if workbook is None:
        return {}
    return {"dept_name": workbook.dept_name, "year": workbook.year, "target": str(target) if target else ""}


def _newer(target: Path, source: Path) -> bool:
    try:
        return target.stat().st_mtime_ns > source.stat().st_mtime_ns
    except OSError:
        return False


def _guarded(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    from .collector import collected_afterwards

    started = time.perf_counter()
    try:
        with collected_afterwards():
            outcome = work()
    except GenreportError as exc:
        outcome = {"failure": str(exc)}
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - one workbook must never stop the batch
        outcome = {"failure": f"程序内部出错（{type(exc).__name__}：{exc}），请把该工作簿反馈给技术支持"}
    outcome.update(seconds=time.perf_counter() - started, pid=os.getpid(), **_usage_now())
    return outcome


def _counts(report: Any) -> dict[str, Any]:
    """Return the error and warning counts, the first error and every problem as [sheet, cell, severity, text]."""
    problems = [i for i in report.sorted_issues() if i.severity in (ERROR, WARNING)]
    errors = [i for i in problems if i.severity == ERROR]
    first = ""
    if errors:
        first = f"{errors[0].where}：{errors[0].message}" if errors[0].where else errors[0].message
    return {"errors": len(errors), "warnings": len(problems) - len(errors), "first_error": first,
            "problems": [[i.sheet, i.cell, i.severity, i.message] for i in problems]}


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
