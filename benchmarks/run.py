"""Time genreport against the speed targets of issue 5 and print (or record) the figures.

Run: python benchmarks/run.py [--count 200] [--readme] [--profile]

Measures `genreport --help`, validation alone, one generation in-process, `genreport` end to end
(interpreter start included), `genreport batch` over COUNT synthetic workbooks with -j 1 and -j 2, the
peak memory of one batch worker, and the floor: loading and saving templates/report.docx with python-docx.
--readme replaces the results block of benchmarks/README.md; --profile prints where generation spends time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "cli"))

from make_workbooks import make_workbooks  # noqa: E402

SAMPLE = ROOT / "samples" / "xinxiang-2024" / "workbook.xlsx"
TEMPLATE = ROOT / "templates" / "report.docx"
CACHE = Path(tempfile.gettempdir()) / "genreport-bench"
README = HERE / "README.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
GENREPORT = [sys.executable, "-m", "genreport"]


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds of one measurement (CPU includes finished child processes)."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.3f} s（CPU {self.cpu:.3f} s）"


def cpu_seconds() -> float:
    """Return the CPU time used so far by this process and its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(action: Callable[[], object], repeat: int, warmup: int = 1) -> Timing:
    """Return the median wall and CPU time of action over repeat runs, after warmup runs."""
    for _ in range(warmup):
        action()
    walls, cpus = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), cpu_seconds()
        action()
        walls.append(time.perf_counter() - started)
        cpus.append(cpu_seconds() - used)
    return Timing(statistics.median(walls), statistics.median(cpus))


def mean(timings: list[Timing]) -> Timing:
    """Return the mean of several timings."""
    return Timing(statistics.mean(t.wall for t in timings), statistics.mean(t.cpu for t in timings))


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    """Run a command, failing loudly when it fails for a reason other than workbook errors."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "cli")}  # measure this checkout, whatever is installed
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return done


def workbooks(count: int) -> Path:
    """Return a folder of count synthetic workbooks, generating them once per count."""
    folder = CACHE / f"workbooks-{count}"
    if len(list(folder.glob("*.xlsx"))) != count:
        started = time.perf_counter()
        make_workbooks(count, folder)
        print(f"generated {count} workbooks in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return folder


def floor() -> Timing:
    """Return the time to load and save the template with python-docx alone."""
    from docx import Document

    target = CACHE / "floor.docx"
    return timed(lambda: Document(str(TEMPLATE)).save(str(target)), repeat=5)


def in_process(folder: Path) -> dict[str, object]:
    """Return validation and generation times measured inside this interpreter."""
    from genreport.api import check_workbook, generate_report

    synthetic = sorted(folder.glob("*.xlsx"))[:20]
    out = CACHE / "in-process"
    figures = {
        "validate_sample": timed(lambda: check_workbook(SAMPLE), repeat=7),
        "validate_synthetic": mean([timed(lambda p=p: check_workbook(p), 1, 0) for p in synthetic]),
        "generate_sample": timed(lambda: generate_report(SAMPLE, out), repeat=5),
        "generate_synthetic": mean([timed(lambda p=p: generate_report(p, out), 1, 0) for p in synthetic]),
    }
    figures["in_process_peak_mb"] = _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return figures


def breakdown() -> dict[str, Timing]:
    """Return the parts of one generation of the sample: openpyxl alone, reading, checks, rendering."""
    import openpyxl

    from genreport.api import check_workbook
    from genreport.checks import run_checks
    from genreport.excel import read_workbook
    from genreport.figures import compute_figures
    from genreport.profile import load_profile
    from genreport.render import render_report
    from genreport.resources import default_template

    workbook, _ = check_workbook(SAMPLE)
    profile = load_profile(workbook.profile)
    spec = profile.workbook_spec
    template = default_template() or profile.template_path
    figures = compute_figures(workbook, profile)
    return {
        "openpyxl_load": timed(lambda: openpyxl.load_workbook(SAMPLE), repeat=5),
        "read": timed(lambda: read_workbook(SAMPLE, spec), repeat=5),
        "checks": timed(lambda: run_checks(workbook), repeat=5),
        "render": timed(lambda: render_report(template, workbook, figures, profile, CACHE / "breakdown.docx"),
                        repeat=5),
    }


def end_to_end() -> dict[str, Timing]:
    """Return the wall time of `genreport --help` and of `genreport SAMPLE -o DIR` (interpreter included)."""
    out = CACHE / "end-to-end"
    return {
        "help": timed(lambda: run([*GENREPORT, "--help"]), repeat=5),
        "generate_cli": timed(lambda: run([*GENREPORT, str(SAMPLE), "-o", str(out)]), repeat=3),
    }


def batch(folder: Path, jobs: int) -> dict[str, object]:
    """Return the wall and CPU time of one batch over folder and the peak memory of its largest worker."""
    out = CACHE / f"batch-j{jobs}"
    for old in out.glob("*"):
        old.unlink()
    started, used = time.perf_counter(), cpu_seconds()
    done = run([*GENREPORT, "batch", str(folder), "-o", str(out), "-j", str(jobs), "-q"])
    wall = time.perf_counter() - started
    summary = json.loads((out / "汇总.json").read_text(encoding="utf-8"))
    # the workers are not children of this process (forkserver): take their CPU from the summary
    timing = Timing(wall, cpu_seconds() - used + summary["worker_cpu_seconds"])
    if summary["counts"] != {"ok": len(summary["items"])}:
        print(done.stdout, file=sys.stderr)
    return {"timing": timing, "worker_peak_mb": summary["worker_peak_mb"], "counts": summary["counts"]}


def _maxrss_mb(value: int) -> float:
    return value / (1024 * 1024) if sys.platform == "darwin" else value / 1024


def machine() -> str:
    """Return one line describing the machine: cores, CPU model, Python."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]
        model = names[0] if names else model
    load = "、".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "未知"
    return (f"{os.cpu_count()} 核（nproc），{model}，Python {platform.python_version()}，{platform.system()}；"
            f"开始时系统负载（1/5/15 分钟）{load}")


def rows(figures: dict[str, Any], count: int) -> list[tuple[str, str, str]]:
    """Return (measure, result, target) rows for the results table."""
    f = figures
    j1, j2 = f["batch_j1"]["timing"], f["batch_j2"]["timing"]

    def verdict(value: float, limit: float, unit: str = "s") -> str:
        return f"< {limit:g} {unit}{'，达标' if value < limit else '，**未达标**'}"

    def rate(t: Timing) -> str:
        return f"{t.wall:.1f} s，{count / t.wall:.1f} 份/秒（CPU 共 {t.cpu:.0f} s）"

    return [
        ("`genreport --help`（含解释器启动）", str(f["help"]), verdict(f["help"].wall, 0.3)),
        ("校验样例工作簿（进程内）", str(f["validate_sample"]), verdict(f["validate_sample"].wall, 0.2)),
        ("校验合成工作簿，20 份平均（进程内）", str(f["validate_synthetic"]), "—"),
        ("生成样例文档（进程内，含读取和校验）", str(f["generate_sample"]), verdict(f["generate_sample"].wall, 0.5)),
        ("生成合成文档，20 份平均（进程内）", str(f["generate_synthetic"]), "—"),
        ("`genreport 样例 -o 目录`（端到端）", str(f["generate_cli"]), "—"),
        (f"`batch` {count} 份，-j 1", rate(j1), "—"),
        (f"`batch` {count} 份，-j 2", rate(j2), verdict(j2.wall, 60 * count / 200)),
        (f"`batch` {count} 份，-j 2，空闲机器估计（CPU ÷ 2）", f"{j2.cpu / 2:.1f} s", verdict(j2.cpu / 2, 60 * count / 200)),
        ("单个工作进程峰值内存（-j 2）", f"{f['batch_j2']['worker_peak_mb']:.0f} MB",
         verdict(f["batch_j2"]["worker_peak_mb"], 250, "MB")),
        ("进程内测量时的峰值内存", f"{f['in_process_peak_mb']:.0f} MB", "—"),
        ("下限：python-docx 载入并保存模板", str(f["floor"]), "—"),
        ("分解：openpyxl 载入样例一次", str(f["openpyxl_load"]), "—"),
        ("分解：read_workbook（读取样例）", str(f["read"]), "—"),
        ("分解：run_checks（全部校验规则）", str(f["checks"]), "—"),
        ("分解：render_report（上下文 + docxtpl + 保存）", str(f["render"]), "—"),
    ]


def table(figures: dict[str, Any], count: int) -> str:
    """Return the results as a Markdown table preceded by the machine and the date."""
    lines = [f"测量时间：{time.strftime('%Y-%m-%d %H:%M')}；机器：{figures['machine']}。", "",
             "| 测量项 | 结果 | 目标 |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows(figures, count)]
    return "\n".join(lines)


def record(text: str) -> None:
    """Replace the results block of benchmarks/README.md with text."""
    readme = README.read_text(encoding="utf-8")
    head, rest = readme.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def profile(top: int = 25) -> str:
    """Return the cProfile listing (cumulative time) of one in-process generation of the sample."""
    import cProfile
    import io
    import pstats

    from genreport.api import generate_report

    generate_report(SAMPLE, CACHE / "profile")
    profiler = cProfile.Profile()
    profiler.runcall(generate_report, SAMPLE, CACHE / "profile")
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(top)
    return stream.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="workbooks in the batch runs (default 200)")
    parser.add_argument("--readme", action="store_true", help="write the results into benchmarks/README.md")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one generation")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    folder = workbooks(args.count)
    figures: dict[str, Any] = {"machine": machine(), "floor": floor(), **in_process(folder), **breakdown(),
                                  **end_to_end()}
    for jobs in (1, 2):
        figures[f"batch_j{jobs}"] = batch(folder, jobs)
        print(f"batch -j {jobs}: {figures[f'batch_j{jobs}']}", file=sys.stderr)
    text = table(figures, args.count)
    print(text)
    if args.readme:
        record(text)
    if args.profile:
        print(profile())


if __name__ == "__main__":
    main()
