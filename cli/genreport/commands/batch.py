"""genreport batch: check and generate many workbooks in parallel, with progress and a summary."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from .group import cli

if TYPE_CHECKING:
    from ..batch import BatchResult, Progress

#: Above this many workbooks the printed table lists only the problems (汇总.xlsx always has every row).
FULL_TABLE_ROWS = 50
CELL_WIDTH = 48


@cli.command("batch")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="输出文件夹（不存在时自动创建）：Word 文档、汇总.xlsx 和 汇总.json 都写在这里。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="同时处理的进程数。默认：CPU 核数。")
@click.option("--skip-existing", is_flag=True, help="跳过已生成且比工作簿新的文档（用于继续被中断的批量任务）。")
@click.option("--force", is_flag=True, help="工作簿有错误时仍然生成（错误会记入汇总）。")
@click.option("--template", type=click.Path(path_type=Path), envvar="GENREPORT_TEMPLATE", default=None,
              help="使用自定义 Word 模板（也可用环境变量 GENREPORT_TEMPLATE 指定）。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成每份文档的 PDF（并填好目录页码），较慢。")
@click.option("--per-department", is_flag=True,
              help="为每份有错误或警告的工作簿另存一份标注副本（<工作簿名>.标注.xlsx，问题单元格标色并附批注），可直接退回各部门修改。")
@click.option("--merge", is_flag=True,
              help="输入文件夹中一个部门一个子文件夹（放本级和下属单位的工作簿）：先把每个部门汇总成 "
                   "输出文件夹/部门工作簿/<子文件夹名>.xlsx，再生成各部门的文档。")
@click.option("-q", "--quiet", is_flag=True, help="不显示进度。")
def batch_command(inputs: tuple[Path, ...], outdir: Path, jobs: int | None, skip_existing: bool, force: bool,
                  template: Path | None, pdf: bool, per_department: bool, merge: bool, quiet: bool) -> None:
    """批量检查并生成：输入可以是工作簿、文件夹（递归查找 .xlsx）或清单 .txt（每行一个路径）。

    每份工作簿单独处理，某一份出错不影响其他；文档命名为“<部门名称><年度>年度部门决算.docx”。

    两份工作簿的部门名称和年度相同时，两份都不生成，并在汇总中标为“重名未生成”。

    结束时打印汇总表，并在输出文件夹写出 汇总.xlsx（“问题清单”工作表列出每个部门的每个问题）和 汇总.json。

    退出码：0 全部成功；1 有工作簿出错、无法读取或重名；2 用法错误（例如输入的文件夹不存在）。

    \b
    示例：
      genreport batch 各部门工作簿/ -o 决算文档/
      genreport batch 清单.txt -o 决算文档/ -j 4
      genreport batch 各部门工作簿/ -o 决算文档/ --skip-existing     （继续被中断的任务）
      genreport batch 各部门工作簿/ -o 决算文档/ --per-department    （每个部门一份标注副本）
      genreport batch 各部门单位工作簿/ -o 决算文档/ --merge         （每个部门一个文件夹，先汇总）
    """
    from ..batch import run_batch
    from ..visible import printable

    failed: list[tuple[str, str]] = []
    if merge:
        from ..api import merge_departments

        made, failed = merge_departments(list(inputs), outdir, force=force)
        for department, why in failed:
            click.echo(f"{printable(department)}：未汇总，{printable(why)}", err=True)
        if not made:
            sys.exit(1)
        inputs = tuple(made)
    line = None if quiet else ProgressLine()
    result = run_batch(inputs, outdir, jobs=jobs, force=force, skip_existing=skip_existing,
                       template=template, pdf=pdf, progress=line, per_department=per_department)
    if line:
        line.close()
    click.echo(summary_table(result))
    if failed:
        click.echo(f"另有 {len(failed)} 个部门未汇总（原因见上）。")
    sys.exit(0 if result.ok and not failed else 1)


class ProgressLine:
    """Show the batch's progress on stderr: one rewritten line on a terminal, a line now and then otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.open = False

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        final = progress.done == progress.total
        if not final and now - self.last < (0.1 if self.tty else 5.0):
            return
        self.last = now
        text = (f"{progress.phase} {progress.done}/{progress.total}  有问题 {progress.problems} 份  "
                f"{progress.rate:.1f} 份/秒{_eta(progress)}")
        click.echo(f"\r{text}\033[K" if self.tty else text, err=True, nl=not self.tty)
        self.open = self.tty
        if final:
            self.close()

    def close(self) -> None:
        """End the rewritten line so the next output starts on its own line."""
        if self.open:
            click.echo("", err=True)
            self.open = False


def _eta(progress: Progress) -> str:
    if progress.done == progress.total or progress.rate == 0:
        return ""
    return f"  剩余约 {(progress.total - progress.done) / progress.rate:.0f} 秒"


def summary_table(result: BatchResult) -> str:
    """Return the summary as an aligned text table, followed by the counts and where the files are.

    A group of workbooks with the same department is one line, so the table grows linearly with the batch.
    """
    from ..batch import CONFLICT, OK, SKIPPED
    from ..visible import printable

    shown = [i for i in result.items
             if len(result.items) <= FULL_TABLE_ROWS or i.status not in (OK, SKIPPED) or i.note]
    header = ["文件", "部门名称", "年度", "状态", "错误", "警告", "说明"]
    sizes = Counter(i.target.name for i in shown if i.status == CONFLICT and i.target is not None)
    rows, grouped = [], set()
    for i in shown:
        if i.status == CONFLICT and i.target is not None:
            if i.target.name in grouped:
                continue
            grouped.add(i.target.name)
            n = sizes[i.target.name]
            rows.append([f"{i.shown_source} 等 {n} 份", printable(i.dept_name), i.year or "", i.status.label,
                         i.errors, i.warnings, f"{n} 份工作簿都会生成 {i.target.name}，都未生成，请核对后只保留一份"])
        else:
            rows.append([i.shown_source, printable(i.dept_name), i.year or "", i.status.label, i.errors,
                         i.warnings, printable(i.first_error or i.note)])
    lines = _align([header, *rows]) if rows else []
    if len(rows) < len(result.items):
        lines.append(f"（只列出有问题或有备注的工作簿，重名的每组一行；完整清单见 {printable(str(result.outdir / '汇总.xlsx'))}）")
    counts = "，".join(f"{status.label} {n}" for status, n in result.counts().most_common())
    lines.append(f"共 {len(result.items)} 份：{counts}。用时 {result.seconds:.1f} 秒，{result.jobs} 个进程。")
    lines.append("汇总：" + "、".join(printable(str(path)) for path in result.summary_files))
    annotated = sum(1 for i in result.items if i.annotated)
    if annotated:
        lines.append(f"标注副本：{annotated} 份（<工作簿名>.标注.xlsx），在 {printable(str(result.outdir))}")
    return "\n".join(lines)


def _align(rows: list[list[object]]) -> list[str]:
    """Return rows as lines of padded columns; the last column is neither cut nor padded."""
    from ..visible import display_width

    cells = [[_shorten(str(v), display_width) for v in row[:-1]] + [str(row[-1])] for row in rows]
    widths = [max(display_width(row[c]) for row in cells) for c in range(len(cells[0]) - 1)]
    return ["  ".join([*(v + " " * (w - display_width(v)) for v, w in zip(row, widths)), row[-1]]).rstrip()
            for row in cells]


def _shorten(text: str, measure: Callable[[str], int]) -> str:
    """Return text cut to CELL_WIDTH columns, keeping its end (the informative part of a path)."""
    if measure(text) <= CELL_WIDTH:
        return text
    while measure("…" + text) > CELL_WIDTH:
        text = text[1:]
    return "…" + text
