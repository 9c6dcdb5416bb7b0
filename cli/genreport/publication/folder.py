"""Check every publication (PDF, .docx) in a folder and write the batch summary (汇总.xlsx, 汇总.json) for them."""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import GenreportError, OutputError
from .read import SUFFIXES


def find_publications(folder: Path) -> list[Path]:
    """Return the PDF and Word files under folder (recursively, hidden files and Office lock files skipped)."""
    return sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not p.name.startswith("~$")
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def check_folder(folder: Path, outdir: Path, on_each=None):  # type: ignore[no-untyped-def]
    """Check every publication in folder; write 汇总.xlsx and 汇总.json to outdir; return the BatchResult.

    Each file is one summary row (检查通过, 有错误 or 无法处理) and its errors and warnings are listed by page in
    问题清单. on_each(item) is called after each file. A summary genreport did not write is never replaced.
    """
    from ..batch import FAILED, FOUND, PASSED, SUMMARY_XLSX, BatchResult, Item, write_summaries
    from ..batch.worker import failure
    from ..excel import is_summary
    from .audit import check_publication

    folder, outdir = Path(folder), Path(outdir)
    if not folder.is_dir():
        raise GenreportError.of("找不到文件夹：{folder}", folder=folder)
    found = find_publications(folder)
    if not found:
        raise GenreportError.of("文件夹“{folder}”中没有 PDF 或 Word（.docx）文档。", folder=folder)
    if (outdir / SUMMARY_XLSX).exists() and not is_summary(outdir / SUMMARY_XLSX):
        raise OutputError.of("{file} 已存在且不是 genreport 写的汇总，为避免覆盖它，请换一个输出文件夹。",
                             file=outdir / SUMMARY_XLSX)
    outdir.mkdir(parents=True, exist_ok=True)
    result = BatchResult(outdir, [], jobs=1)
    started = time.perf_counter()
    for path in found:
        item, began = Item(path, by_page=True), time.perf_counter()
        try:
            workbook, report = check_publication(path)
            item.dept_name, item.year = workbook.dept_name, workbook.year
            item.errors, item.warnings = len(report.errors), len(report.warnings)
            item.status = FOUND if report.errors else PASSED
            item.problems = [i for i in report.sorted_issues() if i.severity in ("error", "warning")]
            item.first = item.problems[0] if report.errors else None
        except GenreportError as exc:
            item.status = FAILED
            item.fail(failure(exc, path))
        except Exception as exc:  # noqa: BLE001 - one file must never stop the folder
            item.status = FAILED
            item.fail(failure(f"程序内部出错（{type(exc).__name__}），请把该文件反馈给技术支持", path))
        item.seconds = time.perf_counter() - began
        result.items.append(item)
        if on_each is not None:
            on_each(item)
    result.seconds = time.perf_counter() - started
    result.summary_files = write_summaries(result)
    return result
