"""Which of the document's 公文 fonts this machine lacks, so the PDF says once what replaced them."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import BinaryIO

from .pdf import FONT_ALIASES

_FONT_ATTRIBUTE = re.compile(r'w:(?:eastAsia|ascii|hAnsi)="([^"]+)"')


def document_fonts(docx: Path | BinaryIO) -> set[str]:
    """Return the font names the document's styles and text ask for (docx: a path or the file's bytes)."""
    with zipfile.ZipFile(docx) as archive:
        parts = [n for n in ("word/styles.xml", "word/document.xml") if n in archive.namelist()]
        return {name for part in parts for name in _FONT_ATTRIBUTE.findall(archive.read(part).decode("utf-8"))}


def installed_families() -> set[str] | None:
    """Return the font families fontconfig knows (None when fc-list is not available)."""
    if shutil.which("fc-list") is None:
        return None
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {family.strip() for line in listed.splitlines() for family in line.split(",")}


def substitution_note(docx: Path | BinaryIO) -> str | None:
    """Return one sentence naming the document's 公文 fonts that the PDF shows in a replacement face, or None."""
    families = installed_families()
    if families is None:
        return None
    missing = sorted(name for name in document_fonts(docx) & set(FONT_ALIASES) if name not in families)
    if not missing:
        return None
    replaced = "；".join(f"{name}→{FONT_ALIASES[name]}" for name in missing)
    return (f"注意：本机没有安装字体 {'、'.join(missing)}，PDF 中用相近的字体代替（{replaced}），字形和换行可能与正式文本"
            "略有不同。Word 文档本身仍指定原字体；正式印发的 PDF 请在装有这些字体的电脑上用 Word/WPS 导出。")
