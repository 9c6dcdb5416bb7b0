"""Standalone (stdlib + uno) worker for the system python3: one LibreOffice kept for many documents.

python3 office_worker.py SOFFICE RUN_DIR [PARENT_PID]

Starts LibreOffice with its profile in RUN_DIR/profile, then reads one JSON job per line on stdin
({"docx": …, "pdf": … or null, "lines": bookmark or null}). For each job it loads the document once (read-only,
as `soffice --convert-to` does), writes its PDF export to "pdf" (else updates its fields) and answers
{"ok": true, "lines": [[title, page], …]} (the 目录 lines inside the bookmark, their page fields laid out) or
{"ok": false, "error": …}; the document is closed after the answer, while genreport goes on. It ends (and ends LibreOffice) at end of input; when the process
that started it (PARENT_PID, else its parent at start) disappears, it removes RUN_DIR and ends its whole process
group, LibreOffice included.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import uno  # noqa: F401  (registers the com.sun.star import hook)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from officepipes import group_members, remove_pipes  # this file's folder (genreport's) is the script's first import path

CONNECT_SECONDS = 60
WATCH_SECONDS = 0.5


def _props(**values):
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


def _start(soffice: str, profile: Path, pipe: str) -> subprocess.Popen:
    return subprocess.Popen(
        [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         f"-env:UserInstallation={profile.resolve().as_uri()}", f"--accept=pipe,name={pipe};urp;"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _connect(pipe: str, office: subprocess.Popen):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("LibreOffice did not start")
            time.sleep(0.02)


def toc_lines(doc, bookmark: str | None) -> list[list[str]]:
    """Return [title, page] for each 目录 line inside the bookmark (read in one call; [] without it)."""
    marks = doc.getBookmarks()
    if not bookmark or not marks.hasByName(bookmark):
        return []
    text = marks.getByName(bookmark).getAnchor().getString()
    return [_title_and_page(line) for line in text.splitlines() if "\t" in line]


def _title_and_page(line: str) -> list[str]:
    title, _, page = line.rpartition("\t")
    return [title.strip(), page.strip()]


def convert(desktop, job: dict, answer) -> None:
    """Load job["docx"] once, export it to job["pdf"] (laying it out fills its page fields; without a PDF the fields
    are updated instead) and answer ok with the 目录 lines in job["lines"] (a bookmark); the document is closed
    after the answer."""
    docx, pdf = Path(job["docx"]), Path(job["pdf"]) if job.get("pdf") else None
    doc = desktop.loadComponentFromURL(docx.resolve().as_uri(), "_blank", 0, _props(Hidden=True, ReadOnly=True))
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {docx.name}")
    try:
        if pdf is not None:
            doc.storeToURL(pdf.resolve().as_uri(), _props(FilterName="writer_pdf_Export"))
        else:
            doc.getTextFields().refresh()
        answer({"ok": True, "lines": toc_lines(doc, job.get("lines"))})
    finally:
        doc.close(True)


def watch_parent(run_dir: Path, parent: int) -> None:
    """Remove run_dir and end this process group (LibreOffice too) once the starting process (parent) is gone.

    parent comes from the command line, so a genreport killed while this worker was still starting is noticed too.
    """
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    end_everything(run_dir)


def end_everything(run_dir: Path) -> None:
    """End this process group: LibreOffice's own processes (soffice.bin is a grandchild) first, so that none of them
    writes into run_dir once it is removed, with the socket files they leave in /tmp; then run_dir and this worker."""
    if hasattr(os, "killpg"):
        remove_pipes(os.getpgrp())
        for pid in group_members(os.getpgrp()):
            if pid != os.getpid():
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
    shutil.rmtree(run_dir, ignore_errors=True)
    if hasattr(os, "killpg"):
        os.killpg(os.getpgrp(), signal.SIGKILL)
    os._exit(1)


def serve(desktop, lines) -> None:
    """Answer each job line (ok, or an error; one answer each, also when closing the document fails) until end of
    input."""
    for line in lines:
        finished = []

        def answer(message: dict) -> None:
            if "ok" in message:
                finished.append(message)
            sys.stdout.write(json.dumps(message) + "\n")
            sys.stdout.flush()

        try:
            convert(desktop, json.loads(line), answer)
        except Exception as exc:  # noqa: BLE001 - reported to the supervisor, which decides
            if not finished:
                answer({"ok": False, "error": type(exc).__name__})  # LibreOffice's text names its files by URL


def main(argv: list[str]) -> int:
    soffice, run_dir = argv[0], Path(argv[1])
    if not run_dir.is_absolute():  # never a LibreOffice profile in whatever folder the user happens to be in
        return 2
    parent = int(argv[2]) if len(argv) > 2 else os.getppid()
    threading.Thread(target=watch_parent, args=(run_dir, parent), daemon=True).start()
    office = _start(soffice, run_dir / "profile", f"genreport_{os.getpid()}")
    try:
        ctx = _connect(f"genreport_{os.getpid()}", office)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        sys.stdout.write(json.dumps({"ready": True}) + "\n")
        sys.stdout.flush()
        serve(desktop, sys.stdin)
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge drops while LibreOffice exits
            pass
        office.wait(timeout=30)
    finally:  # stopped by a failure, or genreport is gone (its end of the pipe closed): nothing may outlive it
        if office.poll() is None or os.getppid() != parent:
            end_everything(run_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
