"""Batch jobs: each runs in a worker process from a thread; the page polls its progress by a random id."""

from __future__ import annotations

import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import tasks
from .queue import BATCH
from .uploads import Upload, names_of
from .runner import Runner
from .worker import failure_text

RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass
class Job:
    """One batch: its private folder, where it stands, and its outcome once done."""

    id: str
    folder: Path
    total: int
    started: float = field(default_factory=time.monotonic)
    """When the job was submitted (while it runs), or finished (afterwards: kept for `keep` seconds from then)."""
    state: str = RUNNING
    done: int = 0
    problems: int = 0
    outcome: dict[str, Any] | None = None
    error: str = ""

    def advance(self, step: dict[str, int]) -> None:
        self.done, self.total, self.problems = step["done"], step["total"], step["problems"]


class Jobs:
    """The running and finished batches; a finished one is kept until downloaded or for keep seconds."""

    def __init__(self, runner: Runner, keep: float) -> None:
        self.runner, self.keep = runner, keep
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, folder: Path, uploads: list[Upload], force: bool, pdf: bool) -> Job:
        """Start the batch over uploads (stored inside folder) in the background and return its job."""
        job = Job(secrets.token_urlsafe(18), folder, len(uploads))
        names = {str(u.path.relative_to(folder)): u.name for u in uploads}
        limit = self.runner.timeout * max(1, len(uploads))
        with self._lock:
            self._jobs[job.id] = job
        args = (str(folder), names, force, pdf)
        threading.Thread(target=self._run, args=(job, args, limit, names_of(uploads, folder)), daemon=True).start()
        return job

    def _run(self, job: Job, args: tuple[Any, ...], limit: float, names: dict[str, str]) -> None:
        try:
            outcome = self.runner.run(tasks.batch, args, timeout=limit, progress=job.advance, lane=BATCH, ticket=job)
        except Exception as exc:  # noqa: BLE001 - e.g. no process could be started; the page must learn of it
            outcome = {"failure": f"无法启动批量任务（{type(exc).__name__}），请稍后重试。"}
        job.error = failure_text(outcome, names) if "failure" in outcome else ""
        job.outcome = None if job.error else outcome
        job.state = FAILED if job.error else DONE
        job.started = time.monotonic()  # kept for `keep` seconds from now

    def place(self, job: Job) -> int:
        """Return the job's place among the batches waiting to start (1 = next), 0 once it runs."""
        return self.runner.lanes.place(BATCH, job) if job.state == RUNNING else 0

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def drop(self, job_id: str) -> None:
        """Forget a job and delete its folder (uploads and outputs)."""
        with self._lock:
            job = self._jobs.pop(job_id, None)
        if job is not None:
            shutil.rmtree(job.folder, ignore_errors=True)

    def sweep(self) -> None:
        """Drop finished jobs older than keep seconds."""
        now = time.monotonic()
        with self._lock:
            old = [j.id for j in self._jobs.values() if j.state != RUNNING and now - j.started > self.keep]
        for job_id in old:
            self.drop(job_id)

    def folders(self) -> set[Path]:
        with self._lock:
            return {job.folder for job in self._jobs.values()}
