"""Batch generation: check and generate many workbooks in parallel processes, never stopping on one."""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from ..errors import GenreportError, OutputError
from ..filenames import file_key
from ..visible import printable
from ..pool import run_parallel
from .inputs import collect_inputs, refuse_missing
from .items import FAILED, PENDING, PROBLEMS, SKIPPED, SUMMARY_XLSX, BatchResult, Item, Outcome, Progress
from .output import claim, explain_conflicts, locked, place_annotated, write_summaries
from .worker import digest, failure, process_many, process_one, usage_scale


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
    refuse_missing(inputs)
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

        def finish(index: int, outcome: Outcome) -> None:
            for member in [*copies[index], index]:  # the copies first: they still need the staged files
                shared = outcome if member == index else _shared(outcome, items[index].source, items[member].source)
                _apply(items[member], shared, workers)
                claim(items[member], claims, shared, protected, force)
                place_annotated(items[member], shared, outdir, protected, taken)
            if progress:
                progress(_progress(items, time.perf_counter() - started))

        def failed(why: str) -> Outcome:
            return Outcome(FAILED, problems=(failure(why),))

        if pdf:  # a worker renders the next workbooks while its LibreOffice converts (worker.process_many)
            chunks = _chunks(list(tasks), jobs)

            def finish_chunk(key: int, outcomes: list[Outcome] | Outcome) -> None:
                if isinstance(outcomes, list):
                    for index, outcome in zip(chunks[key], outcomes):
                        finish(index, outcome)
                elif len(chunks[key]) == 1:
                    finish(chunks[key][0], outcomes)
                else:  # no outcomes (its worker died twice): each once more alone, so only the culprit fails
                    run_parallel(process_one, {i: tasks[i] for i in chunks[key]}, 1, finish, failed)

            run_parallel(process_many, {key: ([tasks[i] for i in chunk],) for key, chunk in chunks.items()}, jobs,
                         finish_chunk, failed)
        else:
            run_parallel(process_one, tasks, jobs, finish, failed)
        explain_conflicts(claims)
        result = BatchResult(outdir, items, jobs, time.perf_counter() - started, *_usage(workers))
        result.summary_files = write_summaries(result)
    return result


#: With --pdf, the most workbooks a worker takes at once (its pipeline; the progress moves by as many).
PIPELINE = 8


def _chunks(indexes: list[int], jobs: int) -> dict[int, list[int]]:
    """Return {key: consecutive indexes}: at most PIPELINE per chunk, as many chunks as a multiple of jobs allows
    (so the workers share them evenly), their sizes differing by one at most."""
    count = min(len(indexes), -(-len(indexes) // (PIPELINE * jobs)) * jobs)
    size, larger = divmod(len(indexes), count)
    chunks, start = {}, 0
    for key in range(count):
        end = start + size + (key < larger)
        chunks[key], start = indexes[start:end], end
    return chunks


def _identical(sources: list[Path]) -> dict[int, list[int]]:
    """Return {index of a workbook to process: indexes of the other inputs with identical bytes}."""
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


def _shared(outcome: Outcome, source: Path, copy: Path) -> Outcome:
    """Return the outcome of a workbook for an identical copy: its own file name in the problems, no staged
    document (the copies conflict), its own staged annotated copy."""
    paths = {source: copy, Path(source.name): Path(copy.name)}
    mine = None
    if outcome.staged_annotated is not None:
        staged = outcome.staged_annotated
        mine = staged.with_name(f"{staged.stem}-{abs(hash(str(copy)))}.xlsx")
        shutil.copyfile(staged, mine)
    return replace(outcome, problems=tuple(i.renamed(paths) for i in outcome.problems), staged=None, digest="",
                   staged_pdf=None, staged_annotated=mine)


def _without_own_summary(sources: list[Path], outdir: Path) -> list[Path]:
    """Return sources without a summary an earlier batch wrote into outdir; refuse a workbook in its place."""
    from ..excel import is_summary

    summary = outdir / SUMMARY_XLSX
    kept = []
    for path in sources:
        if path.name == SUMMARY_XLSX and path.parent.resolve() == outdir.resolve() or _same(path, summary):
            if is_summary(path):
                continue
            raise OutputError.of("输入中的“{file}”与批量汇总同名，会被汇总覆盖，请把这份工作簿改名或换一个输出文件夹。",
                                 file=Path(printable(str(path))))
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


def _apply(item: Item, outcome: Outcome, workers: dict[int, tuple[int, float]]) -> None:
    item.seconds += outcome.seconds
    if outcome.pid:  # peak memory and CPU time only grow during a worker's life
        workers[outcome.pid] = (outcome.peak_kb, outcome.cpu)
    item.status, item.dept_name, item.year, item.target = outcome.status, outcome.dept_name, outcome.year, outcome.target
    item.problems, item.note = list(outcome.problems), outcome.note
    errors = outcome.errors
    item.errors, item.warnings = len(errors), len(outcome.problems) - len(errors)
    item.first = errors[0] if errors else None
    if outcome.status == FAILED:
        item.errors = max(item.errors, 1)
    elif outcome.status == SKIPPED:
        item.output = item.target
        item.pdf = item.target.with_suffix(".pdf") if outcome.pdf and item.target else None


def _usage(workers: dict[int, tuple[int, float]]) -> tuple[float, float]:
    """Return the largest worker's peak memory in MB and the CPU seconds of all workers."""
    scale = usage_scale()
    return max((p for p, _ in workers.values()), default=0) * scale, sum(c for _, c in workers.values())


