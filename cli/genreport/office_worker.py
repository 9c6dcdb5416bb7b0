"""Standalone (stdlib + uno) worker for the system python3: update a .docx's 目录 in LibreOffice, export a PDF."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import uno  # noqa: F401  (registers the com.sun.star import hook)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 60


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
            time.sleep(0.2)


def toc_entries(doc) -> list[list]:
    """Return [level, text, page] for every line of the first content index (目录)."""
    indexes = doc.getDocumentIndexes()
    if indexes.getCount() == 0:
        return []
    anchor = indexes.getByIndex(0).getAnchor()
    entries = []
    paragraphs = anchor.createEnumeration()
    while paragraphs.hasMoreElements():
        paragraph = paragraphs.nextElement()
        text = paragraph.getString()
        if "\t" not in text:
            continue
        title, _, page = text.rpartition("\t")
        style = paragraph.ParaStyleName
        level = int(style[-1]) if style[-1:].isdigit() else 1
        entries.append([level, title.strip(), page.strip()])
    return entries


def convert(ctx, docx: Path, entries_json: Path, pdf: Path | None) -> None:
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(docx.resolve().as_uri(), "_blank", 0, _props(Hidden=True))
    if doc is None:
        raise SystemExit(f"LibreOffice could not open {docx}")
    try:
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.getTextFields().refresh()
        doc.refresh()
        entries_json.write_text(json.dumps(toc_entries(doc), ensure_ascii=False), encoding="utf-8")
        if pdf is not None:
            doc.storeToURL(pdf.resolve().as_uri(), _props(FilterName="writer_pdf_Export"))
    finally:
        doc.close(True)


def main(argv: list[str]) -> int:
    """python3 office_worker.py SOFFICE PROFILE_DIR DOCX ENTRIES_JSON [PDF].

    Runs under the interpreter that has python3-uno (a virtualenv cannot import uno); ENTRIES_JSON gets
    [[level, text, page], ...] of the updated 目录, and PDF the export of the updated document.
    """
    soffice, profile, docx, entries = argv[:4]
    pdf = Path(argv[4]) if len(argv) > 4 else None
    pipe = f"genreport_{os.getpid()}"
    office = _start(soffice, Path(profile), pipe)
    try:
        ctx = _connect(pipe, office)
        convert(ctx, Path(docx), Path(entries), pdf)
        try:
            ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx).terminate()
        except Exception:  # noqa: BLE001 - the bridge drops while LibreOffice exits
            pass
        office.wait(timeout=30)
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
