"""Time genreport against the speed targets of issues 5 and 17 and print (or record) the figures.

Run: python benchmarks/run.py [--count 200] [--pdf-count 20] [--office-count 6] [--large 1000] [--readme]
     [--profile]

Measures, whole processes, `genreport SAMPLE -o DIR` against the naive docxtpl peer (benchmarks/peer/peer.py on
a fixed copy of the template) and against the floor (a process that only loads and saves that template with
python-docx), paired and interleaved; validation and generation in-process; `genreport batch` over COUNT
synthetic workbooks with -j 1 and -j 2 (CPU per report, worker memory), over LARGE workbooks with -j 2 (memory
stays flat), and with --pdf over PDF_COUNT workbooks (seconds added per document, and LibreOffice's own CPU per
document with one office kept for the whole run). Issue 31's three ratios, each against its peer measured in the
same run: checking and generating the sample with 4,000 extra bad rows (seconds, whole processes); what
`batch -j 1 --pdf` adds over `batch -j 1` ÷ one plain `soffice --convert-to pdf` of the same documents (the
LibreOffice floor); one web generation on an idle `serve` ÷ the command line (web_generation.py).
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
PEER = HERE / "peer" / "peer.py"
PEER_TEMPLATE = HERE / "peer" / "template.docx"
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


def compile_checkout() -> None:
    """Byte-compile cli/ as pip does when it installs a package (PYTHONDONTWRITEBYTECODE would otherwise make
    every measured process compile genreport's modules again, which no installed copy does)."""
    import compileall

    compileall.compile_dir(str(ROOT / "cli"), quiet=1)


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

    from genreport.checks import run_checks
    from genreport.excel import read_workbook
    from genreport.figures import compute_figures
    from genreport.pipeline import open_job, read_and_check
    from genreport.render import render_report

    job = read_and_check(open_job(SAMPLE))
    workbook, profile, template = job.workbook, job.profile, job.template
    spec = profile.workbook_spec
    figures = compute_figures(workbook, profile)
    return {
        "openpyxl_load": timed(lambda: openpyxl.load_workbook(SAMPLE), repeat=5),
        "read": timed(lambda: read_workbook(SAMPLE, spec), repeat=5),
        "checks": timed(lambda: run_checks(workbook), repeat=5),
        "render": timed(lambda: render_report(template, workbook, figures, profile, CACHE / "breakdown.docx"),
                        repeat=5),
    }


def child_cpu() -> float:
    """Return the CPU seconds used so far by finished child processes."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def paired(commands: dict[str, list[str]], repeat: int) -> dict[str, Timing]:
    """Return the median wall and CPU time of each command, run interleaved (same load for all) repeat times."""
    walls: dict[str, list[float]] = {k: [] for k in commands}
    cpus: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(repeat + 1):
        for key, command in commands.items():
            started, used = time.perf_counter(), child_cpu()
            run(command)
            walls[key].append(time.perf_counter() - started)
            cpus[key].append(child_cpu() - used)
    return {k: Timing(statistics.median(walls[k][1:]), statistics.median(cpus[k][1:])) for k in commands}


def versus_peer(repeat: int = 7) -> dict[str, Timing]:
    """Return genreport, the naive peer and the python-docx floor as whole processes, one report each."""
    out = CACHE / "versus"
    out.mkdir(parents=True, exist_ok=True)
    floor_script = (f"from docx import Document; Document({str(PEER_TEMPLATE)!r}).save({str(out / 'floor.docx')!r})")
    return paired({"genreport": [*GENREPORT, str(SAMPLE), "-o", str(out)],
                   "peer": [sys.executable, str(PEER), str(SAMPLE), str(out / "peer.docx")],
                   "floor_process": [sys.executable, "-c", floor_script]}, repeat)


def end_to_end() -> dict[str, Timing]:
    """Return the wall time of `genreport --help` and of `genreport SAMPLE -o DIR` (interpreter included)."""
    out = CACHE / "end-to-end"
    return {
        "help": timed(lambda: run([*GENREPORT, "--help"]), repeat=5),
        "generate_cli": timed(lambda: run([*GENREPORT, str(SAMPLE), "-o", str(out)]), repeat=3),
    }


def many_findings(rows: int = 4000) -> dict[str, Timing]:
    """Return whole-process check and generate (--force) times of the sample with rows extra 年初预算 lines that
    each lack their code (rows findings; this was quadratic: 230 s for 4,000 rows)."""
    import openpyxl

    path = CACHE / f"many-findings-{rows}.xlsx"
    if not path.exists():
        book = openpyxl.load_workbook(SAMPLE)
        sheet = book["年初预算"]
        first = sheet.max_row + 1
        for row in range(first, first + rows):
            sheet.cell(row, 1, "一般公共预算")
            sheet.cell(row, 3, f"新增项目{row}")
            sheet.cell(row, 4, 1.5)
        book.save(path)
    return {"many_check": timed(lambda: run([*GENREPORT, "check", str(path)]), repeat=3),
            "many_generate": timed(lambda: run([*GENREPORT, str(path), "-o", str(CACHE / "many"), "--force"]),
                                   repeat=3)}


def batch(folder: Path, jobs: int, tag: str = "", extra: tuple[str, ...] | list[str] = ()) -> dict[str, Any]:
    """Return the wall and CPU time of one batch over folder and the peak memory of its largest worker."""
    out = CACHE / f"batch-{tag or f'j{jobs}'}"
    for old in out.glob("*"):
        old.unlink()
    started, used = time.perf_counter(), cpu_seconds()
    done = run([*GENREPORT, "batch", str(folder), "-o", str(out), "-j", str(jobs), "-q", *extra])
    wall = time.perf_counter() - started
    summary = json.loads((out / "汇总.json").read_text(encoding="utf-8"))
    # the workers are not children of this process (forkserver): take their CPU from the summary
    timing = Timing(wall, cpu_seconds() - used + summary["worker_cpu_seconds"])
    if summary["counts"] != {"ok": len(summary["items"])}:
        print(done.stdout, file=sys.stderr)
    return {"timing": timing, "worker_peak_mb": summary["worker_peak_mb"], "counts": summary["counts"]}


def office_step(folder: Path, count: int) -> dict[str, float]:
    """Return LibreOffice's CPU and wall seconds per document, one office converting count documents in turn."""
    from genreport import pdf

    if pdf.find_soffice() is None:
        return {}
    docs = sorted((CACHE / "batch-j2").glob("*.docx"))[:count]
    started, used = time.perf_counter(), cpu_seconds()
    for docx in docs:
        result = pdf.finish_document(docx, pdf=True)
        if result.pdf is None:
            raise SystemExit(f"--pdf failed on {docx.name}: {result.notes}")
    office = sum(group_cpu(o.process.pid) for o in pdf._offices.values() if o.process is not None)
    pdf.close_offices()  # its whole process group is killed: its CPU is read before
    return {"cpu": (cpu_seconds() - used + office) / len(docs), "wall": (time.perf_counter() - started) / len(docs)}


def group_cpu(group: int) -> float:
    """Return the CPU seconds used so far by the running processes of a process group (Linux /proc; 0 elsewhere)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp; utime and stime are fields 14 and 15 of the whole line
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def pdf_batch(folder: Path, count: int) -> dict[str, Any]:
    """Return the seconds --pdf adds per document in a -j 2 batch over the first count workbooks of folder."""
    subset = CACHE / f"pdf-{count}"
    subset.mkdir(parents=True, exist_ok=True)
    for source in sorted(folder.glob("*.xlsx"))[:count]:
        if not (subset / source.name).exists():
            os.link(source, subset / source.name)  # a hard link: the batch sees an ordinary file
    plain = batch(subset, 2, tag="pdf-plain")
    made = batch(subset, 2, tag="pdf", extra=["--pdf"])
    return {"plain": plain["timing"], "pdf": made["timing"], "added": (made["timing"].wall - plain["timing"].wall) / count,
            "counts": made["counts"]}


def pdf_versus_office(folder: Path, count: int = 6, rounds: int = 8) -> dict[str, Any]:
    """Return what `batch -j 1 --pdf` adds over `batch -j 1` for count workbooks against the LibreOffice floor: one
    `soffice --convert-to pdf` of the same count documents (its profile warm), run interleaved, medians of rounds."""
    from genreport import pdf

    soffice = pdf.find_soffice()
    if soffice is None:
        return {}
    subset = CACHE / f"office-{count}"
    subset.mkdir(parents=True, exist_ok=True)
    for source in sorted(folder.glob("*.xlsx"))[:count]:
        if not (subset / source.name).exists():
            os.link(source, subset / source.name)
    floor_out, profile = CACHE / "office-floor", (CACHE / "office-floor-profile").resolve()
    floor_out.mkdir(exist_ok=True)
    plain, made, office = [], [], []
    for _ in range(rounds + 1):  # the first round warms up (and writes the documents the floor converts)
        plain.append(batch(subset, 1, tag="office-plain")["timing"].wall)
        made.append(batch(subset, 1, tag="office-pdf", extra=["--pdf"])["timing"].wall)
        docs = sorted(str(p) for p in (CACHE / "batch-office-plain").glob("*.docx"))
        started = time.perf_counter()
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                        "--convert-to", "pdf", "--outdir", str(floor_out), *docs], capture_output=True, check=True)
        office.append(time.perf_counter() - started)
    added = statistics.median(m - p for m, p in zip(made[1:], plain[1:]))
    floor_s = statistics.median(office[1:])
    return {"count": count, "plain": statistics.median(plain[1:]), "pdf": statistics.median(made[1:]),
            "added": added, "office": floor_s, "ratio": added / floor_s}


def web_figures() -> dict[str, float]:
    """Return one web generation on an idle `serve` against the command line (web_generation.py), {} without httpx."""
    try:
        import httpx  # noqa: F401 - web_versus_cli needs it
    except ImportError:
        return {}
    from web_generation import web_versus_cli

    return web_versus_cli()


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

    def verdict(value: float, limit: float, unit: str = "s", at_most: bool = False) -> str:
        met = value <= limit if at_most else value < limit
        return f"{'≤' if at_most else '<'} {limit:g}{' ' + unit if unit else ''}{'，达标' if met else '，**未达标**'}"

    def rate(t: Timing) -> str:
        return f"{t.wall:.1f} s，{count / t.wall:.1f} 份/秒（CPU 共 {t.cpu:.0f} s）"

    g, peer, base = f["genreport"], f["peer"], f["floor_process"]
    wall_ratio, cpu_ratio = g.wall / peer.wall, g.cpu / peer.cpu
    table = [
        ("`genreport 样例 -o 目录`（整个进程，与同伴交替运行）", str(g), "—"),
        ("同伴脚本 `benchmarks/peer/peer.py`（openpyxl 只读 → docxtpl）", str(peer), "—"),
        ("下限进程：python-docx 载入并保存模板", str(base), "—"),
        ("genreport ÷ 同伴（墙钟 / CPU）", f"{wall_ratio:.2f} / {cpu_ratio:.2f}", verdict(cpu_ratio, 1.0, "", True)),
        ("genreport ÷ 下限进程（墙钟 / CPU）", f"{g.wall / base.wall:.2f} / {g.cpu / base.cpu:.2f}", "—"),
        (f"`batch` {count} 份，-j 2，每份 CPU", f"{j2.cpu / count:.3f} s", verdict(j2.cpu / count, 0.15, "s", True)),
        (f"`batch` {count} 份，-j 2（目标按空闲估计 CPU ÷ 2 判断）", rate(j2), verdict(j2.cpu / 2, 60 * count / 200)),
        (f"`batch` {count} 份，-j 1", rate(j1), "—"),
        (f"单个工作进程峰值内存（{count} 份，-j 2）", f"{f['batch_j2']['worker_peak_mb']:.0f} MB",
         verdict(f["batch_j2"]["worker_peak_mb"], 150, "MB", True)),
    ]
    if "batch_large" in f:
        large = f["batch_large"]
        table.append((f"单个工作进程峰值内存（{f['large']} 份，-j 2）", f"{large['worker_peak_mb']:.0f} MB"
                      f"（每份 CPU {large['timing'].cpu / f['large']:.3f} s）",
                      verdict(large["worker_peak_mb"], 150, "MB", True)))
    if "pdf_batch" in f:
        pb, n = f["pdf_batch"], f["pdf_count"]
        table.append((f"`batch --pdf` {n} 份，-j 2：每份增加（墙钟）", f"{pb['added']:.2f} s（{pb['plain'].wall:.1f} s → "
                      f"{pb['pdf'].wall:.1f} s）", verdict(pb["added"], 1.0, "s", True)))
    if f.get("office"):
        office = f["office"]
        table.append(("LibreOffice 每份 CPU（一个 LibreOffice 连续转换，含启动）",
                      f"{office['cpu']:.2f} s（墙钟 {office['wall']:.2f} s）", "—"))
        table.append(("`--pdf` 每份增加，空闲 2 核估计（CPU ÷ 2）", f"{office['cpu'] / 2:.2f} s",
                      verdict(office["cpu"] / 2, 1.0, "s", True)))
    if "pdf_single" in f:
        table.append(("`genreport 样例 -o 目录 --pdf`（整个进程）", str(f["pdf_single"]), "—"))
    if f.get("pdf_office"):
        po = f["pdf_office"]
        table.append((f"`batch -j 1 --pdf` {po['count']} 份比不带 `--pdf` 增加的时间 ÷ 同一批文档一次 "
                      "`soffice --convert-to pdf`（同一次运行中交替测量）",
                      f"{po['added']:.2f} s ÷ {po['office']:.2f} s = **{po['ratio']:.2f}**"
                      f"（批量 {po['plain']:.2f} s → {po['pdf']:.2f} s）", verdict(po["ratio"], 1.1, "", True)))
    if f.get("web"):
        web = f["web"]
        table.append(("网页生成一份（空闲的 `serve`）÷ `genreport 样例 -o 目录`（同一次运行中交替测量）",
                      f"{web['web']:.2f} s ÷ {web['cli']:.2f} s = **{web['ratio']:.2f}**", verdict(web["ratio"], 1.2, "", True)))
    table += [
        ("`check` 样例加 4,000 行缺编码的年初预算（4,000 处错误，整个进程）", str(f["many_check"]),
         verdict(f["many_check"].wall, 5.0)),
        ("同上，`genreport … --force` 生成（整个进程）", str(f["many_generate"]), verdict(f["many_generate"].wall, 5.0)),
        ("`genreport --help`（含解释器启动，按 CPU 判断）", str(f["help"]), verdict(f["help"].cpu, 0.3)),
        ("校验样例工作簿（进程内，按 CPU 判断）", str(f["validate_sample"]), verdict(f["validate_sample"].cpu, 0.2)),
        ("生成样例文档（进程内，含读取和校验，按 CPU 判断）", str(f["generate_sample"]),
         verdict(f["generate_sample"].cpu, 0.5)),
        ("生成合成文档，20 份平均（进程内）", str(f["generate_synthetic"]), "—"),
        ("进程内测量时的峰值内存", f"{f['in_process_peak_mb']:.0f} MB", "—"),
        ("对照：openpyxl 完整载入样例一次（genreport 读取已不用它）", str(f["openpyxl_load"]), "—"),
        ("分解：read_workbook（读取样例）", str(f["read"]), "—"),
        ("分解：run_checks（全部校验规则）", str(f["checks"]), "—"),
        ("分解：render_report（上下文 + docxtpl + 表格 + 保存）", str(f["render"]), "—"),
    ]
    return table


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
    parser.add_argument("--pdf-count", type=int, default=20, help="workbooks in the --pdf batch (0: skip)")
    parser.add_argument("--office-count", type=int, default=6,
                        help="documents of the --pdf against LibreOffice comparison (default 6)")
    parser.add_argument("--large", type=int, default=1000, help="workbooks in the memory run (0: skip)")
    parser.add_argument("--readme", action="store_true", help="write the results into benchmarks/README.md")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one generation")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    compile_checkout()
    folder = workbooks(args.count)
    figures: dict[str, Any] = {"machine": machine(), **versus_peer(), "floor": floor(), **in_process(folder),
                               **breakdown(), **end_to_end(), **many_findings()}
    for jobs in (1, 2):
        figures[f"batch_j{jobs}"] = batch(folder, jobs)
        print(f"batch -j {jobs}: {figures[f'batch_j{jobs}']}", file=sys.stderr)
    if args.pdf_count:
        figures["pdf_count"] = args.pdf_count
        figures["office"] = office_step(folder, args.pdf_count)
        if figures["office"]:
            figures["pdf_batch"] = pdf_batch(folder, args.pdf_count)
            figures["pdf_single"] = timed(lambda: run([*GENREPORT, str(SAMPLE), "-o", str(CACHE / "pdf-single"),
                                                       "--pdf"]), repeat=3)
        figures["pdf_office"] = pdf_versus_office(folder, args.office_count)
    figures["web"] = web_figures()
    if args.large:
        figures["large"] = args.large
        figures["batch_large"] = batch(workbooks(args.large), 2, tag="large")
        print(f"batch {args.large} -j 2: {figures['batch_large']}", file=sys.stderr)
    text = table(figures, args.count)
    print(text)
    if args.readme:
        record(text)
    if args.profile:
        print(profile())


if __name__ == "__main__":
    main()
