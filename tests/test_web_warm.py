"""Warm workers: single-workbook tasks reuse a pre-started worker, which is replaced after N tasks, on memory
growth, when a task leaves a process behind, and — its whole process group killed — when a task times out."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from genreport.api import generate_report  # noqa: E402
from genreport.web import tasks  # noqa: E402
from genreport.web.app import Settings  # noqa: E402
from genreport.web.warm import Warm  # noqa: E402
from genreport.web.runner import Runner  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_web import client_for, upload  # noqa: E402


def pid_task() -> dict:
    return {"pid": os.getpid()}


def leave_a_process(marker: str) -> dict:
    """Start a process that outlives the task (as a LibreOffice would) and return both ids."""
    child = subprocess.Popen(["sleep", "60"])
    Path(marker).write_text(str(child.pid))
    return {"pid": os.getpid(), "child": child.pid}


def hang_with_a_child(marker: str) -> dict:
    child = subprocess.Popen(["sleep", "60"])
    Path(marker).write_text(f"{os.getpid()} {child.pid}")
    time.sleep(60)
    return {}


def gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def document_xml(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read("word/document.xml")


def test_a_second_generation_is_made_by_the_same_warm_worker_and_matches_a_fresh_one(sample_path, tmp_path):
    fresh = generate_report(sample_path, tmp_path / "fresh").output
    with client_for(Settings(workers=2, timeout=120)) as client:
        warm = client.app.site.runner.warm
        before = warm.pids()
        assert len(before) == 1  # pre-started with the server, before any request
        made = [client.post("/api/generate", files=upload(sample_path.read_bytes(), "样例.xlsx")) for _ in range(2)]
        assert [response.status_code for response in made] == [200, 200]
        assert warm.pids() == before  # both served by the worker started with the server
    assert document_xml(made[0].content) == document_xml(made[1].content) == document_xml(fresh.read_bytes())
    assert gone(before[0])  # the server stopped: its warm worker with it


def test_a_worker_is_replaced_after_its_quota_of_tasks():
    runner = Runner(slots=1, timeout=60, warm=Warm(1, recycle_after=2))
    try:
        pids = [runner.run(pid_task, ())["pid"] for _ in range(3)]
        assert pids[0] == pids[1] != pids[2] and os.getpid() not in pids
        assert gone(pids[0])
    finally:
        runner.stop_all()


def test_a_worker_that_grew_past_the_memory_limit_is_replaced():
    runner = Runner(slots=1, timeout=60, warm=Warm(1, memory_mb=1))
    try:
        first, second = (runner.run(pid_task, ())["pid"] for _ in range(2))
        assert first != second and gone(first)
    finally:
        runner.stop_all()


@pytest.mark.skipif(not hasattr(os, "killpg") or not Path("/proc").is_dir(), reason="process groups via /proc")
def test_a_task_that_leaves_a_process_behind_gets_a_fresh_worker_and_the_process_ends(tmp_path):
    runner = Runner(slots=1, timeout=60)
    try:
        left = runner.run(leave_a_process, (str(tmp_path / "child"),))
        assert gone(left["child"]) and gone(left["pid"])
        assert runner.run(pid_task, ())["pid"] != left["pid"]
    finally:
        runner.stop_all()


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups")
def test_a_timed_out_task_ends_its_whole_process_group_and_the_next_task_works(tmp_path):
    marker = tmp_path / "ids"
    runner = Runner(slots=1, timeout=3)
    try:
        outcome = runner.run(hang_with_a_child, (str(marker),))
        assert "超过 3 秒" in outcome["failure"]
        worker, child = map(int, marker.read_text().split())
        assert gone(worker) and gone(child)
        assert runner.run(pid_task, ())["pid"] not in (worker, child, os.getpid())
    finally:
        runner.stop_all()
