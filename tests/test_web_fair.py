"""Fair and visible work: a single check is answered while two batches run; a waiting batch knows its place in
the queue and how long it has waited; batch results can be downloaded again until they expire."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("httpx")

from test_web import client_for, leftovers, upload  # noqa: E402

from genreport.web import Settings  # noqa: E402
from genreport.web.jobs import tasks as job_tasks  # noqa: E402
from genreport.web.queue import Lane  # noqa: E402


def held_batch(folder: str, names: dict, force: bool, pdf: bool, progress=None) -> dict:
    """A batch that runs until the test puts a file named release beside its folder (in a worker process)."""
    release = Path(folder).parent / "release"
    deadline = time.monotonic() + 120
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    (Path(folder) / "result.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    return {"items": [], "counts": [], "seconds": 0, "zip": str(Path(folder) / "result.zip")}


def _until(condition, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_a_single_check_is_answered_while_two_batches_run(sample_path, monkeypatch):
    monkeypatch.setattr(job_tasks, "batch", held_batch)
    data = sample_path.read_bytes()
    with client_for(Settings(workers=2, timeout=120)) as client:
        root = client.app.site.root
        jobs = [client.post("/api/batch", files=[("files", (f"{n}.xlsx", data))]).json()["job"] for n in "甲乙"]
        statuses = _until(lambda: (s := [client.get(f"/api/batch/{j}").json() for j in jobs])
                          and sorted(x["place"] for x in s) == [0, 1] and s)
        waiting = next(s for s in statuses if s["place"] == 1)
        assert waiting["state"] == "running" and isinstance(waiting["seconds"], int)

        checked = client.post("/api/check", files=upload(data, "单位.xlsx"))  # both batches still held
        assert checked.status_code == 200 and "错误 0 处" in checked.text
        assert all(client.get(f"/api/batch/{j}").json()["state"] == "running" for j in jobs)

        (root / "release").touch()
        for job in jobs:
            _until(lambda job=job: client.get(f"/api/batch/{job}").json()["state"] == "done")
            first = client.get(f"/api/batch/{job}/download")
            second = client.get(f"/api/batch/{job}/download")
            assert first.status_code == second.status_code == 200 and first.content == second.content
        (root / "release").unlink()
        for job in jobs:
            client.app.site.jobs.drop(job)
        assert leftovers(client) == []


def test_the_page_can_ask_for_the_place_of_its_waiting_request(sample_path, monkeypatch):
    with client_for(Settings(workers=1, timeout=60)) as client:
        lane = client.app.site.runner.lanes.lanes["quick"]
        holding = threading.Event()
        done = threading.Event()

        def hold():
            with lane.slot("someone-else"):
                holding.set()
                done.wait(30)

        threading.Thread(target=hold, daemon=True).start()
        holding.wait(10)
        answers = []
        check = threading.Thread(target=lambda: answers.append(client.post(
            "/api/check", files=upload(sample_path.read_bytes(), "单位.xlsx"), headers={"X-Genreport-Ticket": "t1"})))
        check.start()
        assert _until(lambda: client.get("/api/queue?ticket=t1").json()["place"] == 1)
        done.set()
        check.join(60)
        assert answers and answers[0].status_code == 200
        assert client.get("/api/queue?ticket=t1").json() == {"place": 0}


def test_a_lane_serves_in_order():
    lane, order, started = Lane(1), [], threading.Event()
    release = threading.Event()

    def first():
        with lane.slot("a"):
            started.set()
            release.wait(10)
            order.append("a")

    def later(name):
        with lane.slot(name):
            order.append(name)

    threads = [threading.Thread(target=first)]
    threads[0].start()
    started.wait(10)
    for name in "bcd":
        threads.append(threading.Thread(target=later, args=(name,)))
        threads[-1].start()
        _until(lambda name=name: lane.place(name) > 0)
    assert [lane.place(n) for n in "bcd"] == [1, 2, 3]
    release.set()
    for thread in threads:
        thread.join(10)
    assert order == ["a", "b", "c", "d"]
