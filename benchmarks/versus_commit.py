"""Time one report against an earlier commit of genreport, interleaved in the same run on the same machine.

Run: python benchmarks/versus_commit.py REV [--rounds 15]

REV's tree is checked out into a temporary git worktree; each round runs `genreport SAMPLE -o DIR` (a whole
process, as a user runs it) once with REV's code and once with this checkout's, alternating which goes first, and
prints the median wall and CPU seconds of both and their ratio. A refactoring's "no slower than before" is this
ratio at or below 1.0 within the noise the two medians show.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import SAMPLE, Timing, timed  # noqa: E402


def checkout(rev: str, folder: Path) -> Path:
    """Return the cli/ folder of REV checked out (detached) into folder."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(folder), rev], check=True)
    return folder / "cli"


def one_report(code: Path, outdir: Path) -> Timing:
    """Return the time of one `genreport SAMPLE -o outdir` whose package is read from code."""
    env = {**os.environ, "PYTHONPATH": str(code), "GENREPORT_CACHE": str(outdir / "cache")}
    command = [sys.executable, "-m", "genreport", str(SAMPLE), "-o", str(outdir / "out.docx"), "--force"]
    return timed(lambda: subprocess.run(command, env=env, check=True, capture_output=True, cwd=outdir), 1, warmup=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="genreport-versus-") as scratch:
        folder = Path(scratch)
        trees = {"before": checkout(args.rev, folder / "before"), "now": ROOT / "cli"}
        runs: dict[str, list[Timing]] = {name: [] for name in trees}
        try:
            for name, code in trees.items():  # warm each tree's caches and .pyc once, untimed
                (folder / name).mkdir(exist_ok=True)
                one_report(code, folder / name)
            for round_ in range(args.rounds):
                order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
                for name in order:
                    (folder / name / "out.docx").unlink(missing_ok=True)
                    runs[name].append(one_report(trees[name], folder / name))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder / "before")],
                           check=False)
    medians = {name: (statistics.median(t.wall for t in found), statistics.median(t.cpu for t in found))
               for name, found in runs.items()}
    for name, (wall, cpu) in medians.items():
        print(f"{name:>6}: {wall:.3f} s wall, {cpu:.3f} s CPU (median of {args.rounds})")
    print(f" ratio: {medians['now'][0] / medians['before'][0]:.2f} wall, {medians['now'][1] / medians['before'][1]:.2f} CPU"
          f" (now ÷ {args.rev})")


if __name__ == "__main__":
    main()
