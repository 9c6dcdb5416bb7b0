"""What a batch works on and gives back: its items, the worker's outcome, the progress and the result.

A leaf module: the worker, the runner, the output writer and the presenters all read these types, and it
imports none of them. Problems stay Issues until a presenter shows them (with its names for file paths).
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..issues import ERROR, Issue
from ..visible import printable

SUMMARY_XLSX = "汇总.xlsx"
SUMMARY_JSON = "汇总.json"
COLUMNS = ["文件", "部门名称", "年度", "状态", "错误数", "警告数", "第一个错误", "输出文件", "用时秒"]
PROBLEM_COLUMNS = ["部门", "文件", "工作表", "单元格", "级别", "说明"]
SEVERITY_WORD = {"error": "错误", "warning": "警告"}


class Status(str, enum.Enum):
    """What became of one workbook (or one publication checked from a folder)."""

    PENDING = "pending"
    OK = "ok"
    FORCED = "forced"
    SKIPPED = "skipped"
    INVALID = "invalid"
    FAILED = "failed"
    CONFLICT = "conflict"
    PASSED = "passed"
    """A publication checked without errors (genreport check 文件夹/ -o 输出目录)."""
    FOUND = "found"
    """A publication checked with errors."""

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """Return the status in one Chinese word (no punctuation, so a line of counts reads unambiguously)."""
        return STATUS_LABEL[self]


PENDING, OK, FORCED, SKIPPED, INVALID, FAILED, CONFLICT, PASSED, FOUND = Status
#: One word each, without punctuation, so that a line of counts ("已生成 19，重名未生成 2") reads unambiguously.
STATUS_LABEL = {
    PENDING: "未处理", OK: "已生成", FORCED: "带错生成", SKIPPED: "已跳过",
    INVALID: "有错未生成", FAILED: "无法处理", CONFLICT: "重名未生成", PASSED: "检查通过", FOUND: "有错误",
}
#: Statuses that count as a problem for the exit code and the progress line.
PROBLEMS = frozenset({FORCED, INVALID, FAILED, CONFLICT, FOUND})


@dataclass(frozen=True)
class Outcome:
    """What a worker process did with one workbook (picklable: it crosses the process boundary).

    status is OK or FORCED (a document was staged), INVALID (refused: errors), SKIPPED (its document is newer
    than the workbook) or FAILED (problems holds why).
    """

    status: Status
    dept_name: str = ""
    year: int | str | None = None
    target: Path | None = None
    """Where its document belongs in the output folder (None when the workbook could not be read)."""
    problems: tuple[Issue, ...] = ()
    """Every error and warning, errors first in workbook order (for FAILED: the one reason)."""
    staged: Path | None = None
    """The document written into the staging folder, None when there is none."""
    digest: str = ""
    """The SHA-256 of the staged document, checked before it is moved to target."""
    staged_pdf: Path | None = None
    staged_annotated: Path | None = None
    pdf: bool = False
    """With SKIPPED: the document's PDF is kept as well."""
    note: str = ""
    """What the LibreOffice step reported."""
    seconds: float = 0.0
    pid: int = 0
    """The worker process (0 when unknown); with peak_kb and cpu, its resource use so far."""
    peak_kb: int = 0
    cpu: float = 0.0

    @property
    def errors(self) -> list[Issue]:
        """Return the problems of severity error."""
        return [i for i in self.problems if i.severity == ERROR]


@dataclass
class Item:
    """One workbook of the batch and what became of it (one row of the summary)."""

    source: Path
    dept_name: str = ""
    year: int | str | None = None
    status: Status = PENDING
    errors: int = 0
    warnings: int = 0
    first: Issue | None = None
    """The first error, or why the workbook could not be processed (None when there is none)."""
    target: Path | None = None
    """Where its document goes (None until the workbook was read)."""
    output: Path | None = None
    """The document written or kept by this run, None when there is none."""
    pdf: Path | None = None
    """Its PDF (with pdf=True), None when there is none."""
    note: str = ""
    """What the LibreOffice step reported (for example that no PDF could be made)."""
    seconds: float = 0.0
    problems: list[Issue] = field(default_factory=list)
    """Every error and warning (the 问题清单 of the summary)."""
    annotated: Path | None = None
    """The annotated copy written with per_department, None when there is none."""
    by_page: bool = False
    """A publication checked from a folder: its findings are placed by page (第 7 页), not by cell."""

    def __post_init__(self) -> None:
        self.status = Status(self.status)

    def fail(self, issue: Issue) -> None:
        """Record a problem that stops this workbook: it becomes the first error and joins the 问题清单."""
        self.first, self.errors = issue, max(self.errors, 1)
        self.problems.append(issue)

    @property
    def first_error(self) -> str:
        """Return the first error as 工作表!单元格：说明 (by_page: 第 7 页：说明), "" when there is none."""
        return self.first_error_text(Shown())

    def first_error_text(self, shown: Shown) -> str:
        """Return first_error as shown presents it."""
        if self.first is None:
            return ""
        place = self._place(self.first) if self.by_page else self.first.where
        return f"{place}：{shown.text(self.first)}" if place else shown.text(self.first)

    @property
    def shown_source(self) -> str:
        """Return the file name as it may be shown or written anywhere (escaped, GBK names decoded)."""
        return Shown().file(self.source)

    def to_dict(self, shown: Shown | None = None) -> dict[str, Any]:
        """Return the row as a JSON-ready dict."""
        shown = shown or Shown()
        return {
            "file": shown.file(self.source), "dept_name": self.dept_name, "year": self.year,
            "status": self.status.value, "status_label": self.status.label, "errors": self.errors,
            "warnings": self.warnings, "first_error": printable(self.first_error_text(shown)),
            "output": self.output.name if self.output else "", "pdf": self.pdf.name if self.pdf else "",
            "annotated": self.annotated.name if self.annotated else "", "note": self.note,
            "seconds": round(self.seconds, 3),
            "problems": [{"sheet": i.sheet, "cell": self._place(i), "severity": i.severity, "message": shown.text(i)}
                         for i in self.problems],
        }

    def to_row(self, shown: Shown | None = None) -> list[object]:
        """Return the row in COLUMNS order, for the summary workbook."""
        shown = shown or Shown()
        return [shown.file(self.source), self.dept_name, self.year, self.status.label, self.errors, self.warnings,
                printable(self.first_error_text(shown)), self.output.name if self.output else "",
                round(self.seconds, 3)]

    def problem_rows(self, shown: Shown | None = None) -> list[list[object]]:
        """Return the rows of the 问题清单 sheet for this workbook (PROBLEM_COLUMNS order)."""
        shown = shown or Shown()
        name = printable(self.dept_name or Path(shown.names.get(str(self.source), str(self.source))).stem)
        return [[name, shown.file(self.source), i.sheet, self._place(i), SEVERITY_WORD.get(i.severity, i.severity),
                 printable(shown.text(i))] for i in self.problems]

    def _place(self, issue: Issue) -> str:
        """Return the 单元格 column of a problem: its cell, or its page (by_page)."""
        return issue.page if self.by_page else issue.cell


@dataclass(frozen=True)
class Shown:
    """How a presenter shows a batch: the name of each file path (by str(path); default the path as given)
    and its own wording of a rendered sentence (the web page's steps instead of commands)."""

    names: Mapping[str, str] = field(default_factory=dict)
    wording: Callable[[str], str] = str

    def file(self, path: Path) -> str:
        """Return a file's name as it may be shown or written anywhere (escaped, GBK names decoded)."""
        return printable(self.names.get(str(path), str(path)))

    def text(self, issue: Issue) -> str:
        """Return an issue's sentence with file paths named and the presenter's wording."""
        return self.wording(issue.text(self.names))


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

    def counts(self) -> Counter[Status]:
        """Return how many workbooks ended in each status."""
        return Counter(item.status for item in self.items)

    def to_dict(self, shown: Shown | None = None) -> dict[str, Any]:
        """Return the whole batch as a JSON-ready dict (as shown presents it; default: paths as given)."""
        return {
            "outdir": str(self.outdir), "jobs": self.jobs, "seconds": round(self.seconds, 2),
            "worker_peak_mb": round(self.worker_peak_mb, 1), "worker_cpu_seconds": round(self.worker_cpu_seconds, 1),
            "counts": {status.value: n for status, n in self.counts().items()},
            "items": [item.to_dict(shown) for item in self.items],
        }
