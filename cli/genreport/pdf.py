"""Optional LibreOffice step: fill the 目录 with page numbers and write the PDF (one profile per process)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import private
from .atomic import atomic_write
from .excel.guard import MAX_PARAGRAPH_CHARS
from .office import Office, OfficeFailed, run_folder, run_once

#: Seconds one document may take in LibreOffice before it is given up (and LibreOffice ended).
TIMEOUT_SECONDS = 240
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
#: Chinese office font names → the free CJK faces that replace them (tech-notes §3); Latin falls back as usual.
FONT_ALIASES = {"仿宋_GB2312": SERIF, "仿宋": SERIF, "FangSong": SERIF, "宋体": SERIF, "SimSun": SERIF,
                "方正小标宋简体": SERIF, "楷体_GB2312": SERIF, "楷体": SERIF, "KaiTi": SERIF,
                "黑体": SANS, "SimHei": SANS}
SOFFICE_PLACES = ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                  "/Applications/LibreOffice.app/Contents/MacOS/soffice",
                  "C:/Program Files/LibreOffice/program/soffice.exe")
INSTALL_HINT = ("安装方法：Debian/Ubuntu 执行 sudo apt-get install libreoffice-writer-nogui python3-uno fonts-noto-cjk；"
                "Windows/macOS 请从 LibreOffice 官网下载安装；也可用环境变量 GENREPORT_SOFFICE 指定 soffice 程序的位置。")


@dataclass
class OfficeResult:
    """What the LibreOffice step did: the PDF written (or None), whether the 目录 got page numbers, notes."""

    pdf: Path | None = None
    toc_filled: bool = False
    failed: bool = False
    notes: list[str] = field(default_factory=list)


def find_soffice() -> str | None:
    """Return the LibreOffice program: GENREPORT_SOFFICE, soffice/libreoffice on PATH, or a usual place."""
    configured = os.environ.get("GENREPORT_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((p for p in SOFFICE_PLACES if Path(p).is_file()), None)


@lru_cache(maxsize=4)
def find_uno_python(soffice: str) -> str | None:
    """Return an interpreter that can `import uno`: GENREPORT_UNO_PYTHON, LibreOffice's own, or the system python3."""
    program = Path(soffice).resolve().parent
    candidates = [os.environ.get("GENREPORT_UNO_PYTHON"), str(program / "python"), str(program / "python.exe"),
                  "/usr/bin/python3", shutil.which("python3"), sys.executable]
    for python in filter(None, candidates):
        if Path(python).is_file() and _run_quietly([python, "-c", "import uno"]) == 0:
            return python
    return None


def _run_quietly(command: list[str]) -> int:
    try:
        return subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60).returncode
    except (OSError, subprocess.SubprocessError):
        return 1


def fontconfig_file(folder: Path) -> Path:
    """Write a fonts.conf that keeps the system configuration and maps the 公文 font names to Noto CJK SC."""
    aliases = "\n".join(f'  <alias binding="same"><family>{name}</family><prefer><family>{target}</family></prefer></alias>'
                        for name, target in FONT_ALIASES.items())
    path = folder / "fonts.conf"
    private.write_text(path, '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                       '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                       f"{aliases}\n</fontconfig>\n")
    return path


def office_env(folder: Path) -> dict[str, str]:
    """Return the environment LibreOffice runs with: our font aliases, no desktop session."""
    env = dict(os.environ)
    if Path("/etc/fonts/fonts.conf").is_file():
        env["FONTCONFIG_FILE"] = str(fontconfig_file(folder))
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def finish_document(docx: Path, pdf: bool = False, toc: bool = False) -> OfficeResult:
    """Fill docx's 目录 with page numbers (toc, or whenever a PDF is made) and write docx.with_suffix('.pdf')."""
    result = OfficeResult()
    soffice = find_soffice()
    if soffice is None:
        what = "未生成 PDF" if pdf else "目录未填写页码"
        result.notes.append(f"未找到 LibreOffice，{what}（Word 文档已生成；用 Word 打开时选择“更新域”即可生成目录页码）。"
                            + INSTALL_HINT)
        return result
    refusal = too_large(docx)
    if refusal:
        result.failed = True
        result.notes.append(refusal + ("未生成 PDF，" if pdf else "") + "目录未填写页码（Word 文档已生成）。")
        return result
    python = find_uno_python(soffice)
    if python is None:
        result.notes.append("未找到 LibreOffice 的 Python 接口（python3-uno），目录未填写页码。"
                            "安装方法：sudo apt-get install python3-uno。")
        if pdf:
            _plain_pdf(soffice, docx, result)
        return result
    _with_uno(python, soffice, docx, pdf, result)
    return result


def too_large(docx: Path) -> str | None:
    """Return why LibreOffice could not lay docx out in time (one paragraph too long), None when it can."""
    length = longest_paragraph(docx)
    if length <= MAX_PARAGRAPH_CHARS:
        return None
    return (f"文档中有一段文字长达 {length:,} 字（上限 {MAX_PARAGRAPH_CHARS:,} 字），LibreOffice 无法在限定时间内排版，"
            "请在工作簿中把这段文字分成较短的几段后重新生成；")


def longest_paragraph(docx: Path) -> int:
    """Return the number of characters in the longest paragraph of docx's body."""
    import zipfile

    from lxml import etree

    longest = 0
    with zipfile.ZipFile(docx) as package, package.open("word/document.xml") as body:
        for _, paragraph in etree.iterparse(body, tag=f"{{{W_NS}}}p", resolve_entities=False, huge_tree=True):
            if paragraph.getparent() is not None and paragraph.getparent().tag == f"{{{W_NS}}}p":
                continue
            longest = max(longest, sum(len(t.text or "") for t in paragraph.iter(f"{{{W_NS}}}t")))
            paragraph.clear(keep_tail=True)
    return longest


def _with_uno(python: str, soffice: str, docx: Path, pdf: bool, result: OfficeResult) -> None:
    """Lay docx out once in this process's LibreOffice: its PDF (when asked) and the 目录's page numbers, which
    are then written into docx."""
    from .render.toc import LINES, fill_toc, office_copy

    try:
        lines, made = _office(python, soffice).convert(docx, pdf, TIMEOUT_SECONDS, write_copy=office_copy,
                                                        lines=LINES)
    except OfficeFailed as exc:
        result.failed = True
        result.notes.append(f"{exc}目录页码未填写" + ("，PDF 未生成。" if pdf else "。"))
        return
    try:
        result.toc_filled = fill_toc(docx, lines)
        if made is not None:
            _keep_pdf(made, docx, result)
    finally:
        if made is not None:
            shutil.rmtree(made.parent, ignore_errors=True)  # the run folder holds no finished job


_offices: dict[tuple[str, str], Office] = {}
_offices_lock = threading.Lock()


def _office(python: str, soffice: str) -> Office:
    """Return this process's LibreOffice (started by start_soon or at its first document, ended with the process)."""
    key = (python, soffice)
    with _offices_lock:
        if not _offices:
            _register_close()
        if key not in _offices:
            _offices[key] = Office(python, soffice, office_env)
        return _offices[key]


def start_soon() -> None:
    """Start this process's LibreOffice in the background, so that it is ready when the first document is;
    nothing when there is no LibreOffice (finish_document then says so)."""
    soffice = find_soffice()
    python = find_uno_python(soffice) if soffice else None  # looked up once per process (finish_document needs it)
    if python is not None:
        threading.Thread(target=_office(python, soffice).start_quietly, daemon=True).start()


def close_offices() -> None:
    """End every LibreOffice this process started (its whole process group) and remove its files."""
    while _offices:
        _offices.popitem()[1].close()


@lru_cache(maxsize=1)
def _register_close() -> None:
    """Close the offices when this process ends (once per process)."""
    import atexit
    import multiprocessing

    atexit.register(close_offices)
    if multiprocessing.parent_process() is not None:  # a pool worker ends with os._exit: atexit does not run
        from multiprocessing.util import Finalize

        Finalize(None, close_offices, exitpriority=10)


def _plain_pdf(soffice: str, docx: Path, result: OfficeResult) -> None:
    """Convert without UNO: the PDF's 目录 keeps its titles but has no page numbers."""
    with run_folder() as folder:
        copy = folder / docx.name
        private.copy_file(docx, copy)
        command = [soffice, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={(folder / 'profile').resolve().as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(folder), str(copy)]
        try:
            run_once(command, folder, office_env(folder), TIMEOUT_SECONDS)
        except OfficeFailed as exc:
            result.failed = True
            result.notes.append(f"{exc}PDF 未生成。")
            return
        _keep_pdf(folder / docx.with_suffix(".pdf").name, docx, result)


def _keep_pdf(made: Path, docx: Path, result: OfficeResult) -> None:
    """Move the PDF beside the docx; LibreOffice can exit 0 without writing one, so check that it exists."""
    if not made.is_file() or made.stat().st_size == 0:
        result.failed = True
        result.notes.append("LibreOffice 没有生成 PDF（可能是同一用户配置被占用或文档无法打开），请重试。")
        return
    result.pdf = atomic_write(docx.with_suffix(".pdf"), lambda tmp: shutil.copyfile(made, tmp))
