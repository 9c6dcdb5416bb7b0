"""Benchmark for issue 30: import a 60-page publication PDF (target: under 5 s on the 2-core machine).

The central sample's report is generated with --pdf once (cached in /tmp/genreport-bench/) and imported
several times: in process (median of the runs after a warm-up) and as a whole `genreport import` process, whose
CPU time (user + sys) is the measure that other processes on the shared machine do not inflate.

    python benchmarks/import_pdf.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "cli"))
CACHE = Path("/tmp/genreport-bench/import")
TARGET_SECONDS = 5.0


def sample_pdf() -> Path:
    """Return the central sample's report as PDF (LibreOffice), made once and kept in the cache."""
    from genreport.api import generate_report
    from genreport.resources import sample_workbook

    pdf = CACHE / "xinxiang-2024.pdf"
    if not pdf.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        made = generate_report(sample_workbook("xinxiang-2024/workbook.xlsx"), CACHE / "xinxiang-2024.docx",
                               force=True, pdf=True)
        if made.office is None or made.office.pdf is None:
            raise SystemExit("LibreOffice is needed to make the benchmark PDF")
    return pdf


def pages(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as document:
        return len(document.pages)


def in_process(pdf: Path, runs: int) -> list[float]:
    """Return the wall seconds of each in-process import after one warm-up run."""
    from genreport.api import import_publication

    seconds = []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(runs + 1):
            start = time.perf_counter()
            import_publication(pdf, Path(folder) / f"{run}.xlsx")
            if run:
                seconds.append(time.perf_counter() - start)
    return seconds


def whole_process(pdf: Path, runs: int) -> tuple[list[float], list[float]]:
    """Return the wall and CPU (user + sys) seconds of `genreport import` as a fresh process, each run."""
    import resource

    env = {**os.environ, "PYTHONPATH": str(ROOT / "cli")}
    wall, cpu = [], []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "genreport", "import", str(pdf), "-o", f"{folder}/{run}.xlsx"],
                           check=True, capture_output=True, env=env)
            wall.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    pdf = sample_pdf()
    inside, (whole, cpu) = in_process(pdf, args.runs), whole_process(pdf, args.runs)
    print(f"PDF: {pdf} ({pages(pdf)} pages), load average {os.getloadavg()[0]:.1f}")
    for name, values in (("import in process (wall)", inside), ("genreport import (wall)", whole),
                         ("genreport import (CPU)", cpu)):
        print(f"{name:28s} median {statistics.median(values):.2f} s  min {min(values):.2f}  max {max(values):.2f}"
              f"  target < {TARGET_SECONDS:.0f} s: {'OK' if statistics.median(values) < TARGET_SECONDS else 'MISSED'}")
    return 0 if statistics.median(cpu) < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
