"""Where a batch's files go: a locked output folder with private staging, verified renames, the summaries."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..address import Address
from ..errors import GenreportError, OutputError
from ..filenames import file_key
from ..oserrors import reason
from ..visible import printable
from .items import (COLUMNS, CONFLICT, FAILED, FORCED, OK, PROBLEM_COLUMNS, PROBLEMS, SEVERITY_WORD, SKIPPED,
                    SUMMARY_JSON, SUMMARY_XLSX, BatchResult, Item, Outcome, Shown)
from .worker import digest, failure

STAGING = ".genreport-staging"
LOCK = ".genreport-batch.lock"


@contextlib.contextmanager
def locked(outdir: Path) -> Iterator[Path]:
    """Hold outdir for this batch and yield a new staging folder of its own; a second batch is refused.

    Holding the lock, what an interrupted run left behind (staging folders, hidden temporary files) is
    removed; at the end the staging folder and the lock file go.
    """
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        lock = (outdir / LOCK).open("a+b")
    except OSError as exc:
        raise OutputError.of("无法写入输出文件夹“{folder}”（{reason}），请换一个有写入权限的位置。",
                             folder=Path(printable(str(outdir))), reason=reason(exc)) from None
    try:
        if not _try_lock(lock):
            raise OutputError.of("另一个 genreport batch 正在向“{folder}”输出，请等它结束后再运行，或换一个输出文件夹。",
                                 folder=Path(printable(str(outdir))))
        staging = _fresh_staging(outdir)
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            with contextlib.suppress(OSError):
                (outdir / LOCK).unlink()
    finally:
        lock.close()


def _try_lock(stream: Any) -> bool:
    """Take an exclusive, non-blocking lock on an open file; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:  # a file system without locks (some network shares): run unlocked rather than refuse
        return True
    return True


def _fresh_staging(outdir: Path) -> Path:
    """Remove what an interrupted run left behind and return a new, private staging folder."""
    try:
        for stale in outdir.glob(".*"):
            if stale.name.startswith(STAGING) and stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            elif stale.name.endswith((".docx.tmp", ".xlsx.tmp", ".json.tmp", ".pdf.tmp")):
                stale.unlink(missing_ok=True)
        return Path(tempfile.mkdtemp(prefix=STAGING + "-", dir=outdir))
    except OSError as exc:
        raise OutputError.of("无法写入输出文件夹“{folder}”（{reason}），请换一个有写入权限的位置。",
                             folder=Path(printable(str(outdir))), reason=reason(exc)) from None


def claim(item: Item, claims: dict[str, list[Item]], outcome: Outcome,
          protected: dict[tuple[int, int], str], force: bool = False) -> None:
    """Move item's staged document (and PDF) to its name, or refuse it and whoever claimed the name before.

    The staged document must still be the one its worker wrote from this workbook (same SHA-256), and its
    name must not be one of the batch's inputs. A document edited since genreport wrote it is kept (refused
    without force; with force it is first copied to a backup).
    """
    if item.status not in (OK, FORCED, SKIPPED) or item.target is None:
        return
    group = claims.setdefault(unicodedata.normalize("NFC", item.target.name).casefold(), [])
    group.append(item)
    staged = [path for path in (outcome.staged, outcome.staged_pdf) if path is not None]
    if len(group) > 1:
        for each in group:
            for made in (each.output, each.pdf):
                if made is not None and each.status != CONFLICT:
                    made.unlink(missing_ok=True)
            each.status, each.output, each.pdf = CONFLICT, None, None
        for path in staged:
            path.unlink(missing_ok=True)  # never to be used: free the space now
        return
    try:
        if outcome.staged is not None:
            _move(outcome.staged, item.target, protected, outcome.digest, keep_edited=not force)
            item.output = item.target
        if outcome.staged_pdf is not None:
            _move(outcome.staged_pdf, item.target.with_suffix(".pdf"), protected)
            item.pdf = item.target.with_suffix(".pdf")
    except GenreportError as exc:
        for path in staged:
            path.unlink(missing_ok=True)
        item.status = FAILED
        item.fail(failure(exc))


def _move(staged: Path, target: Path, protected: dict[tuple[int, int], str], expected: str | None = None,
          keep_edited: bool | None = None) -> None:
    """Rename a staged file to target after checking target is no input and staged is the file expected.

    keep_edited (documents only): True refuses a target edited since genreport wrote it, False backs it up.
    """
    role = protected.get(file_key(target))  # type: ignore[arg-type]
    if role:
        raise OutputError.of("输出文件 {name} 就是{role}，为避免覆盖它未写出，请换一个输出文件夹", name=Path(target.name),
                             role=role)
    if expected is not None and digest(Path(staged)) != expected:
        raise OutputError.of("{name} 的暂存文件在写出前被改动（可能有另一个程序同时写入该文件夹），为避免写错部门未写出，"
                             "请重新运行", name=Path(target.name))
    if keep_edited is not None:
        from ..render.fingerprint import protect_edited

        protect_edited(target, force=not keep_edited)
    try:
        os.replace(staged, target)
    except OSError as exc:
        raise OutputError.of("无法写入 {name}（{reason}），可能该文件正被打开，请关闭后重试", name=Path(target.name),
                             reason=reason(exc)) from None


def place_annotated(item: Item, outcome: Outcome, outdir: Path, protected: dict[tuple[int, int], str],
                    taken: set[str]) -> None:
    """Move the staged annotated copy to outdir/<工作簿>.标注.xlsx (numbered when this run used the name)."""
    if outcome.staged_annotated is None:
        return
    stem, number = item.source.stem, 1
    target = outdir / f"{stem}.标注.xlsx"
    while target.name.casefold() in taken:
        number += 1
        target = outdir / f"{stem}（{number}）.标注.xlsx"
    taken.add(target.name.casefold())
    try:
        _move(outcome.staged_annotated, target, protected)
        item.annotated = target
    except GenreportError as exc:
        item.note = "；".join(filter(None, (item.note, str(exc))))


def explain_conflicts(claims: dict[str, list[Item]]) -> None:
    """Give each item of a group of duplicates one bounded finding (naming at most three of the others)."""
    from ..catalogue import bundled_catalogue

    catalogue = bundled_catalogue()
    for group in (g for g in claims.values() if len(g) > 1):
        document = Path(group[0].target.name) if group[0].target else Path()
        for index, item in enumerate(group):
            others = [each.source for each in group[:index] + group[index + 1:]]
            shown = tuple(others[:3])
            item.fail(catalogue.issue("output-conflict", Address(), variant="more" if len(others) > 3 else "",
                                      others=shown, count=len(others), document=document))


def write_summaries(result: BatchResult, shown: Shown | None = None) -> list[Path]:
    """Write OUTDIR/汇总.xlsx (a row per workbook, problems coloured, and the 问题清单 of every problem)
    and 汇总.json; return both paths. Files and sentences in them are as shown presents them (default: as given)."""
    from ..atomic import atomic_write
    from ..excel import SummarySheet, write_summary

    marks = ["error" if i.status in PROBLEMS - {FORCED} else "warning" if i.status == FORCED else None
             for i in result.items]
    problems = [row for item in result.items for row in item.problem_rows(shown)]
    problem_marks = ["error" if row[4] == SEVERITY_WORD["error"] else "warning" for row in problems]
    sheets = [SummarySheet("汇总", COLUMNS, [i.to_row(shown) for i in result.items], marks),
              SummarySheet("问题清单", PROBLEM_COLUMNS, problems, problem_marks)]
    xlsx = write_summary(result.outdir / SUMMARY_XLSX, sheets)
    text = json.dumps(result.to_dict(shown), ensure_ascii=False, indent=2)
    data = atomic_write(result.outdir / SUMMARY_JSON, lambda tmp: tmp.write_text(text, encoding="utf-8",
                                                                                 errors="backslashreplace"))
    return [xlsx, data]
