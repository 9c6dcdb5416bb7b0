"""Nothing left behind: closing the terminal (SIGHUP) or kill (SIGTERM) cleans up like Ctrl+C, what a killed
genreport left is swept by the next start, and the web page deletes expired results on a timer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import genreport.pdf as pdf
from genreport import private
from genreport.office import PROFILE_PREFIX
from genreport.web import Settings
from process_support import processes_mentioning

REAL_OFFICE = pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) not installed")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and /proc")


def _user_root(temp_root: Path) -> Path:
    return temp_root / f"genreport-{os.getuid()}"


def _contents(temp_root: Path) -> list[str]:
    """Return what genreport keeps in the temporary folder (the per-user root itself and the prepared LibreOffice
    profile in it aside, both kept for the next run)."""
    user = _user_root(temp_root)
    return sorted(str(p.relative_to(temp_root)) for p in temp_root.rglob("*")
                  if p != user and not (p.is_relative_to(user) and p.relative_to(user).parts[0].startswith(PROFILE_PREFIX)))


def _wait_until(condition, seconds: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _office_started(temp_root: Path) -> bool:
    return any(p.name == "report.docx" for p in _user_root(temp_root).rglob("*")) if _user_root(temp_root).is_dir() \
        else False


def _serve(temp_root: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(temp_root)}
    return subprocess.Popen([sys.executable, "-m", "genreport", "serve", "--port", str(port)], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _web_folders(temp_root: Path) -> list[Path]:
    root = _user_root(temp_root)
    return sorted(root.glob("web-*")) if root.is_dir() else []


# ---- the command line ------------------------------------------------------------------------------------


@REAL_OFFICE
@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGHUP, signal.SIGTERM], ids=["hangup", "terminate"])
def test_closing_the_terminal_during_pdf_cleans_up_like_ctrl_c(sample_path, tmp_path, temp_root, stop):
    out = tmp_path / "out"
    run = subprocess.Popen([sys.executable, "-m", "genreport", str(sample_path), "-o", str(out), "--pdf"],
                           env={**os.environ, "TMPDIR": str(temp_root)}, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    _wait_until(lambda: _office_started(temp_root) or run.poll() is not None, what="LibreOffice")
    assert run.poll() is None, run.communicate()
    run.send_signal(stop)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 2 and err.strip() == "错误：已中断，未写出任何不完整的文件。"
    _wait_until(lambda: _contents(temp_root) == [], 30, "the run folder to go")
    assert not list(out.glob(".~genreport-*")) and not list(out.glob("*.pdf"))


def test_the_next_start_sweeps_what_a_killed_run_left(sample_path, tmp_path, temp_root):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    left = _user_root(temp_root) / f"office-{gone.pid}-dead"
    (left / "job1").mkdir(parents=True)
    (left / "job1" / "report.docx").write_bytes(b"confidential")
    done = subprocess.run([sys.executable, "-m", "genreport", "check", str(sample_path)], capture_output=True,
                          env={**os.environ, "TMPDIR": str(temp_root)}, timeout=120)
    assert done.returncode in (0, 1) and not left.exists()


# ---- the web page ----------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGHUP, signal.SIGTERM], ids=["hangup", "terminate"])
def test_the_server_removes_its_folder_when_its_terminal_is_closed(temp_root, stop):
    from test_web_server import free_port

    httpx = pytest.importorskip("httpx")
    port = free_port()
    serve = _serve(temp_root, port)
    try:
        _wait_until(lambda: _answers(httpx, port) or serve.poll() is not None, 60, "the server")
        assert len(_web_folders(temp_root)) == 1
        serve.send_signal(stop)
        serve.communicate(timeout=30)
    finally:
        serve.kill()
    assert _web_folders(temp_root) == []


@pytest.mark.slow
def test_a_restart_removes_what_a_killed_server_left(temp_root, sample_path):
    from test_web_server import free_port

    httpx = pytest.importorskip("httpx")
    port = free_port()
    first = _serve(temp_root, port)
    try:
        _wait_until(lambda: _answers(httpx, port) or first.poll() is not None, 60, "the server")
        (left,) = _web_folders(temp_root)
        (left / "r-upload").mkdir()
        (left / "r-upload" / "wb-0001.xlsx").write_bytes(sample_path.read_bytes())
    finally:
        first.kill()
        first.communicate()
    assert left.is_dir()  # SIGKILL: nothing could clean up
    second = _serve(temp_root, port)
    try:
        _wait_until(lambda: _answers(httpx, port) or second.poll() is not None, 60, "the second server")
        assert not left.exists() and len(_web_folders(temp_root)) == 1
    finally:
        second.terminate()
        second.communicate(timeout=30)


def _answers(httpx, port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def test_expired_results_are_deleted_without_waiting_for_a_request(temp_root):
    from test_web import client_for

    with client_for(Settings(keep=0.2, sweep_every=0.1)) as client:
        site = client.app.site
        forgotten = Path(tempfile.mkdtemp(dir=site.root, prefix="r-"))  # e.g. a download that was never fetched
        (forgotten / "report.docx").write_bytes(b"confidential")
        _wait_until(lambda: not forgotten.exists(), 10, "the retention timer")
    assert private.root_path() == _user_root(temp_root)


@REAL_OFFICE
@pytest.mark.slow
def test_a_server_killed_while_making_a_pdf_leaves_no_process_and_the_restart_sweeps_its_files(temp_root,
                                                                                               sample_path):
    import threading

    from test_web_server import free_port

    httpx = pytest.importorskip("httpx")
    port = free_port()
    serve = _serve(temp_root, port)
    try:
        _wait_until(lambda: _answers(httpx, port) or serve.poll() is not None, 60, "the server")
        files = {"file": ("单位.xlsx", sample_path.read_bytes())}
        threading.Thread(target=lambda: _quietly(lambda: httpx.post(
            f"http://127.0.0.1:{port}/api/generate", data={"format": "pdf"}, files=files,
            headers={"x-genreport": "1"}, timeout=120)), daemon=True).start()
        _wait_until(lambda: _office_started(temp_root), 120, "LibreOffice to get the document")
    finally:
        serve.kill()
        serve.communicate()
    _wait_until(lambda: processes_mentioning(temp_root) == [], 30, "the task and LibreOffice to end with the server")
    assert _web_folders(temp_root)  # a killed server could not clean up
    second = _serve(temp_root, port)
    try:
        _wait_until(lambda: _answers(httpx, port) or second.poll() is not None, 60, "the second server")
        root = _user_root(temp_root)
        kept = [p.name.split("-")[0] for p in root.iterdir() if not p.name.startswith(PROFILE_PREFIX)]
        assert kept == ["web"] and len(_web_folders(temp_root)) == 1
        assert not any(p.name == "report.docx" or p.name.startswith("wb-") for p in root.rglob("*"))
    finally:
        second.terminate()
        second.communicate(timeout=30)


def _quietly(call) -> None:
    try:
        call()
    except Exception:  # noqa: BLE001 - the server is killed under this request
        pass
