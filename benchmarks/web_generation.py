"""Time one generation on an idle `genreport serve` against `genreport WORKBOOK -o DIR` (issue 31: within 1.2×).

Run: python benchmarks/web_generation.py [--runs 7]

Both measured in the same run, interleaved (same load for both), median wall time of runs after one discarded
round: the web side is one POST /api/generate of the sample workbook to a server on this machine, answered with
the .docx (upload, checking, generation in a warm worker, download); the command-line side is the whole process
(interpreter start-up included), as a user runs it.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "xinxiang-2024" / "workbook.xlsx"
GENREPORT = [sys.executable, "-m", "genreport"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "cli")}  # measure this checkout, whatever is installed
TARGET = 1.2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def web_versus_cli(runs: int = 7) -> dict[str, float]:
    """Return the median wall seconds of one web generation ("web"), one CLI generation ("cli") and their ratio."""
    import httpx

    port = free_port()
    server = subprocess.Popen([*GENREPORT, "serve", "--port", str(port)], env=ENV, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("genreport serve did not start") from None
                time.sleep(0.2)
        time.sleep(2)  # idle: the server and its pre-started worker are ready before the first request
        workbook = SAMPLE.read_bytes()
        with tempfile.TemporaryDirectory() as out, httpx.Client(base_url=url, timeout=120) as client:

            def web() -> None:
                made = client.post("/api/generate", files={"file": ("样例.xlsx", workbook)},
                                   headers={"x-genreport": "1"})
                if made.status_code != 200:
                    raise SystemExit(f"web generation failed: {made.status_code} {made.text[:200]}")

            def cli() -> None:
                done = subprocess.run([*GENREPORT, str(SAMPLE), "-o", out], env=ENV, capture_output=True)
                if done.returncode != 0:
                    raise SystemExit(f"genreport failed:\n{done.stderr.decode(errors='replace')}")

            walls: dict[str, list[float]] = {"web": [], "cli": []}
            for _ in range(runs + 1):
                for key, action in (("web", web), ("cli", cli)):
                    started = time.perf_counter()
                    action()
                    walls[key].append(time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(30)
    web_s, cli_s = (statistics.median(walls[key][1:]) for key in ("web", "cli"))
    return {"web": web_s, "cli": cli_s, "ratio": web_s / cli_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="measured rounds (default 7)")
    figures = web_versus_cli(parser.parse_args().runs)
    verdict = "达标" if figures["ratio"] <= TARGET else "**未达标**"
    print(f"网页生成一份（空闲的 serve）：{figures['web']:.2f} s；`genreport 样例 -o 目录`：{figures['cli']:.2f} s；"
          f"比值 {figures['ratio']:.2f}（目标 ≤ {TARGET}，{verdict}）")


if __name__ == "__main__":
    main()
