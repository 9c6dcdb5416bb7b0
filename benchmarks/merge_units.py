"""Time `genreport merge` of 50 unit workbooks into one department's (issue 29 target: under 5 s).

Run: python benchmarks/merge_units.py [--count 50] [--runs 3]

The units are the synthetic workbooks of make_workbooks.py (valid, 3 to ~40 项 each, cached in
/tmp/genreport-bench/units/); the first is named the 本级 with --main. Measured: the whole command in a
subprocess (start-up, checking every unit, merging, writing the workbook and its 汇总来源 sheet), median of runs,
wall and CPU time (CPU is what counts on a shared machine: other processes do not inflate it).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_workbooks import make_workbooks  # noqa: E402

UNITS = Path("/tmp/genreport-bench/units")
TARGET_SECONDS = 5.0


def units(count: int) -> list[Path]:
    """Return count cached synthetic unit workbooks, writing the missing ones."""
    folder = UNITS / str(count)
    found = sorted(folder.glob("*.xlsx")) if folder.is_dir() else []
    return found if len(found) == count else make_workbooks(count, folder, seed=29)


def time_merge(paths: list[Path]) -> tuple[float, float]:
    """Return the wall time and the CPU time of one `genreport merge` subprocess over paths."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "cli")}
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "genreport", "merge", *map(str, paths), "--main", str(paths[0]),
                   "-o", str(Path(folder) / "部门.xlsx")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"merge failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    paths = units(args.count)
    runs = [time_merge(paths) for _ in range(args.runs)]
    wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
    verdict = "ok" if wall < TARGET_SECONDS * args.count / 50 else "TOO SLOW"
    print(f"merge {args.count} units: median wall {wall:.2f} s, CPU {cpu:.2f} s over {args.runs} runs "
          f"(wall {', '.join(f'{w:.2f}' for w, _ in runs)}); target < {TARGET_SECONDS:.0f} s for 50: {verdict}; "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
