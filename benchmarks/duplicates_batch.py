"""Benchmark: a batch of N identical workbooks (every one a duplicate department) stays bounded.

Run: python benchmarks/duplicates_batch.py [--count 2000] [--jobs 2] [--distinct] [--folder /tmp/genreport-dup]

Identical files are processed once (the batch hashes its inputs); --distinct gives every copy its own zip
comment, so the bytes differ and every workbook is read and rendered before the conflict is found.

Copies the sample workbook N times, runs `genreport batch` on them in a subprocess and reports what the
issue 16 targets bound: bytes printed (stdout + stderr, under 1 MB), the batch process's own peak memory
(VmHWM from /proc, so Linux only; under 300 MB), the size of 汇总.json and 汇总.xlsx, the longest cell
written into 汇总.xlsx (Excel's limit is 32,767 characters), and the wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "xinxiang-2024" / "workbook.xlsx"
PRINTED_LIMIT = 1024 * 1024
PARENT_LIMIT_MB = 300


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/genreport-dup"))
    parser.add_argument("--distinct", action="store_true", help="same department, different bytes")
    args = parser.parse_args()
    inputs, outdir = _prepare(args.folder, args.count, args.distinct)
    figures = _run(inputs, outdir, args.jobs)
    for key, value in figures.items():
        print(f"{key}: {value}")
    ok = figures["printed_bytes"] < PRINTED_LIMIT and figures["parent_peak_mb"] < PARENT_LIMIT_MB
    print("目标达成" if ok else "未达到目标")
    return 0 if ok else 1


def _prepare(folder: Path, count: int, distinct: bool) -> tuple[Path, Path]:
    inputs = folder / f"in-{count}{'-distinct' if distinct else ''}"
    if len(list(inputs.glob("*.xlsx"))) != count:
        shutil.rmtree(inputs, ignore_errors=True)
        inputs.mkdir(parents=True)
        for index in range(count):
            shutil.copyfile(SAMPLE, inputs / f"{index:05d}.xlsx")
            if distinct:
                with zipfile.ZipFile(inputs / f"{index:05d}.xlsx", "a") as archive:
                    archive.comment = f"copy {index}".encode()
    outdir = folder / f"out{'-distinct' if distinct else ''}"
    shutil.rmtree(outdir, ignore_errors=True)
    return inputs, outdir


def _run(inputs: Path, outdir: Path, jobs: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "cli")}
    command = [sys.executable, "-m", "genreport", "batch", str(inputs), "-o", str(outdir), "-j", str(jobs), "-q"]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak = {"kb": 0}
    watcher = threading.Thread(target=_watch, args=(proc, peak), daemon=True)
    watcher.start()
    out, err = proc.communicate()
    watcher.join(timeout=1)
    summary = json.loads((outdir / "汇总.json").read_text(encoding="utf-8"))
    return {
        "workbooks": len(summary["items"]), "exit_code": proc.returncode,
        "statuses": summary["counts"], "seconds": round(time.perf_counter() - started, 1),
        "printed_bytes": len(out) + len(err), "parent_peak_mb": round(peak["kb"] / 1024, 1),
        "summary_json_bytes": (outdir / "汇总.json").stat().st_size,
        "summary_xlsx_bytes": (outdir / "汇总.xlsx").stat().st_size,
        "longest_summary_cell": _longest_cell(outdir / "汇总.xlsx"),
    }


def _watch(proc: subprocess.Popen[bytes], peak: dict[str, int]) -> None:
    """Record the batch process's high-water mark of resident memory until it ends."""
    status = Path(f"/proc/{proc.pid}/status")
    while proc.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak["kb"] = max(peak["kb"], int(line.split()[1]))
        except OSError:
            return
        time.sleep(0.2)


def _longest_cell(path: Path) -> int:
    """Return the length of the longest text written into the workbook (inline strings)."""
    import re

    longest = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                for text in re.findall(r"<t[^>]*>([^<]*)</t>", archive.read(name).decode("utf-8")):
                    longest = max(longest, len(text))
    return longest


if __name__ == "__main__":
    sys.exit(main())
