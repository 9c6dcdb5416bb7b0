"""A supervised LibreOffice: one per process, kept for many documents, ended with everything it left behind.

Each office lives in a private run folder `<temp>/genreport-<uid>/office-<pid>-<random>/` (private.py: 0700,
files 0600, LibreOffice runs with umask 077) holding its profile (a copy of the user's prepared profile, so it starts
warm: `reusable_profile`), its temporary files (TMPDIR) and the copy of the document in flight (so no `.~lock.*#`
file appears beside the user's documents). The office is started in the background while genreport renders
(`pdf.start_soon`); each document is loaded once, read-only, its PDF exported and its 目录 lines read back. The worker and
LibreOffice run in their own process group: a document that takes longer than its
timeout, or a worker that dies, ends the whole group and removes the run folder; the next document starts a
new office. When genreport itself is killed, the worker notices that its parent is gone and cleans up; run
folders of processes that no longer exist are also removed whenever an office starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import threading
from pathlib import Path
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from . import private
from .officepipes import remove_pipes

WORKER = Path(__file__).with_name("office_worker.py")
START_SECONDS = 90
#: The prepared LibreOffice profile in the private root: `libreoffice-profile-<key of the soffice program>`.
PROFILE_PREFIX = "libreoffice-profile-"
#: LibreOffice and its worker write only files that no other account can read.
PRIVATE_UMASK = 0o077


class OfficeFailed(Exception):
    """The office could not convert one document (the message says why, in Chinese)."""


def sweep_orphans() -> None:
    """Remove run folders whose owning process no longer exists (left by a genreport that was killed)."""
    private.sweep_stale()


def new_run_folder() -> Path:
    """Create and return a fresh private run folder (after removing those of processes that are gone)."""
    sweep_orphans()
    folder = private.private_folder("office")
    private.make_folder(folder / "tmp")
    return folder


@contextmanager
def run_folder() -> Iterator[Path]:
    """A run folder for one LibreOffice call, removed afterwards."""
    folder = new_run_folder()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def reusable_profile(soffice: str, env: dict[str, str]) -> Path | None:
    """Return this user's prepared LibreOffice profile for soffice, making it once; None when it cannot be made.

    It lives in the private root (`libreoffice-profile-<key>`, the key naming this LibreOffice program), made by a
    LibreOffice that initialises it and exits (`--terminate_after_init`, never a document), and is only ever copied:
    each office starts from a copy in its own run folder, so no document or history of one run reaches another, and
    a copied profile starts as fast as a used one (a fresh profile costs LibreOffice about 0.15 s of CPU more).
    """
    try:
        program = Path(soffice).resolve()
        info = program.stat()
    except OSError:
        return None
    key = hashlib.sha256(f"{program}\0{info.st_size}\0{info.st_mtime_ns}".encode()).hexdigest()[:16]
    prepared = private.user_root() / f"{PROFILE_PREFIX}{key}"
    if (prepared / "user").is_dir():
        return prepared
    with run_folder() as folder:
        made = folder / "profile"
        try:
            run_once([soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nolockcheck",
                      "--terminate_after_init", f"-env:UserInstallation={made.resolve().as_uri()}"],
                     folder, env, START_SECONDS)
            made.rename(prepared)
        except (OfficeFailed, OSError):  # cannot be made here, or another genreport made it meanwhile
            pass
    return prepared if (prepared / "user").is_dir() else None


def copy_profile(prepared: Path, target: Path) -> bool:
    """Copy a prepared profile to target (folders 0700, files 0600); False, and nothing at target, on failure."""
    try:
        private.make_folder(target)
        for folder, names, files in os.walk(prepared):
            here = target / Path(folder).relative_to(prepared)
            for name in names:
                private.make_folder(here / name)
            for name in files:
                private.copy_file(Path(folder) / name, here / name)
        return True
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False


def run_once(command: list[str], folder: Path, env: dict[str, str], timeout: float) -> None:
    """Run one LibreOffice command in its own process group; end the whole group on timeout (OfficeFailed)."""
    try:
        process = subprocess.Popen(command, env=_contained(env, folder), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                                   umask=PRIVATE_UMASK)
    except OSError as exc:
        raise OfficeFailed(f"无法启动 LibreOffice（{exc.strerror or exc}）。") from None
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise OfficeFailed(f"LibreOffice 超过 {timeout:g} 秒未完成，已放弃并结束它。") from None
    finally:
        _end_group(process)


def _contained(env: dict[str, str], folder: Path) -> dict[str, str]:
    """Return env with every temporary-folder variable pointing into folder/tmp."""
    temp = str(folder / "tmp")
    return {**env, "TMPDIR": temp, "TMP": temp, "TEMP": temp}


class Office:
    """One LibreOffice (through office_worker.py under a uno-capable python) converting documents in turn."""

    def __init__(self, python: str, soffice: str, env_for: Callable[[Path], dict[str, str]]) -> None:
        self.python, self.soffice, self.env_for = python, soffice, env_for
        self.process: subprocess.Popen | None = None
        self.folder: Path | None = None
        self.answers: queue.Queue[str | None] = queue.Queue()
        self.lock = threading.Lock()
        self.count = 0
        self.start_failed: OfficeFailed | None = None
        self.closings = 0
        """How many times close() ran: a start that sees it change was closed meanwhile (from another thread)."""

    def start_quietly(self) -> None:
        """Start LibreOffice now unless it runs (pdf.start_soon calls this in the background while genreport
        renders); a failure is kept for the next document to report."""
        with self.lock:
            self._ensure_started(quietly=True)

    def _ensure_started(self, quietly: bool = False) -> None:
        """Start the office unless it runs; a failed background start is reported to the next document."""
        if self.process is not None and self.process.poll() is None:
            return
        failed, self.start_failed = self.start_failed, None
        if failed is not None and not quietly:
            raise failed
        try:
            self._start()
        except _ClosedWhileStarting:
            if not quietly:
                raise OfficeFailed("LibreOffice 在启动时被关闭，未能处理文档。") from None
        except OfficeFailed as exc:
            if not quietly:
                raise
            self.start_failed = exc

    def convert(self, docx: Path, pdf: bool, timeout: float, write_copy: Callable[[Path, Path], None] = private.copy_file,
                lines: str | None = None) -> tuple[list, Path | None]:
        """Return (目录 lines [title, page], the PDF in the run folder or None) for docx; OfficeFailed if it cannot.

        LibreOffice loads a copy of docx (written by write_copy into the run folder, so no lock file appears beside
        the user's document) once, exports its PDF (pdf; else only updates its fields) and reads back the 目录 lines
        inside the copy's bookmark lines.
        """
        with self.lock:
            self._ensure_started()
            for done in self.folder.glob("job*"):  # the previous document's copy and PDF were taken already
                shutil.rmtree(done, ignore_errors=True)
            self.count += 1
            job = self.folder / f"job{self.count}"
            private.make_folder(job)
            copy = job / "report.docx"
            write_copy(docx, copy)
            order = {"docx": str(copy), "pdf": str(job / "report.pdf") if pdf else None, "lines": lines}
            self.process.stdin.write(json.dumps(order) + "\n")
            self.process.stdin.flush()
            try:
                answer = self._answer(timeout, f"LibreOffice 超过 {timeout:g} 秒未完成，已放弃并结束它。")
            finally:
                copy.unlink(missing_ok=True)  # the copy is not kept a moment longer than needed
            if not pdf:
                shutil.rmtree(job, ignore_errors=True)
            if not answer.get("ok"):
                raise OfficeFailed(f"LibreOffice 未能处理文档（{answer.get('error', '')}）。")
            return answer.get("lines", []), job / "report.pdf" if pdf else None

    def _start(self) -> None:
        self._shutdown()
        closings = self.closings
        folder = self.folder = new_run_folder()  # kept locally: a close() from another thread may clear self.folder
        env = _contained(self.env_for(folder), folder)
        prepared = reusable_profile(self.soffice, env)
        if prepared is not None:
            copy_profile(prepared, folder / "profile")  # else the office makes a fresh one there
        try:
            process = self.process = subprocess.Popen(
                [self.python, str(WORKER), self.soffice, str(folder), str(os.getpid())], env=env, text=True,
                encoding="utf-8",
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
                umask=PRIVATE_UMASK)
        except OSError as exc:
            self._shutdown()
            raise OfficeFailed(f"无法启动 LibreOffice（{exc.strerror or exc}）。") from None
        self.answers = queue.Queue()
        threading.Thread(target=_pump, args=(process.stdout, self.answers), daemon=True).start()
        try:
            if self.closings == closings:
                self._answer(START_SECONDS, f"LibreOffice 超过 {START_SECONDS} 秒未能启动，已放弃。")
        finally:
            if self.closings != closings:  # closed while it started (the report was refused): it must not outlive that
                _end_group(process)
                shutil.rmtree(folder, ignore_errors=True)
                raise _ClosedWhileStarting()

    def _answer(self, timeout: float, late: str) -> dict[str, Any]:
        """Return the worker's next answer; on a timeout or a dead worker end everything and raise."""
        try:
            line = self.answers.get(timeout=timeout)
        except queue.Empty:
            self._shutdown()
            raise OfficeFailed(late) from None
        if line is None:
            self._shutdown()
            raise OfficeFailed("LibreOffice 意外退出，未能处理文档。")
        return json.loads(line)

    def close(self) -> None:
        """End the worker's whole process group (LibreOffice included) and remove the run folder.

        Also at the end of the work: nothing of the office is kept (its profile is a copy), so nobody waits for
        LibreOffice's orderly shutdown (about 0.1-0.5 s)."""
        self.closings += 1
        self._shutdown()

    def _shutdown(self) -> None:
        """End the worker's process group and remove the run folder (close, or a failure of this office's own)."""
        process, self.process = self.process, None
        if process is not None:
            _end_group(process)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


class _ClosedWhileStarting(Exception):
    """close() ran while the office started: nothing to report to the next document."""


def _pump(stream: Any, answers: queue.Queue) -> None:
    for line in stream:
        answers.put(line)
    answers.put(None)


def _end_group(process: subprocess.Popen) -> None:
    """End the process group the worker leads (LibreOffice too) and remove the socket files LibreOffice held."""
    try:
        if hasattr(os, "killpg"):
            remove_pipes(process.pid)
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    for stream in (process.stdin, process.stdout):
        try:
            if stream:
                stream.close()
        except OSError:
            pass
