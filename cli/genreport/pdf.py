"""Optional LibreOffice step: fill the 目录 with page numbers and write the PDF (one profile per process)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .files import atomic_write

TIMEOUT_SECONDS = 240
WORKER = Path(__file__).with_name("office_worker.py")
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
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    f"{aliases}\n</fontconfig>\n", encoding="utf-8")
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
    python = find_uno_python(soffice)
    with tempfile.TemporaryDirectory(prefix="genreport-office-") as work:
        folder = Path(work)
        if python is None:
            result.notes.append("未找到 LibreOffice 的 Python 接口（python3-uno），目录未填写页码。"
                                "安装方法：sudo apt-get install python3-uno。")
            if pdf:
                _plain_pdf(soffice, docx, folder, result)
            return result
        _with_uno(python, soffice, docx, folder, pdf, result)
    return result


def _with_uno(python: str, soffice: str, docx: Path, folder: Path, pdf: bool, result: OfficeResult) -> None:
    entries, out = folder / "toc.json", folder / "report.pdf"
    command = [python, str(WORKER), soffice, str(folder / "profile"), str(docx), str(entries)]
    if pdf:
        command.append(str(out))
    if not _office_run(command, folder, result) or not entries.is_file():
        result.failed = True
        result.notes.append("LibreOffice 未能处理文档，目录页码未填写" + ("，PDF 未生成。" if pdf else "。"))
        return
    from .render.toc import fill_toc

    result.toc_filled = fill_toc(docx, json.loads(entries.read_text(encoding="utf-8")))
    if pdf:
        _keep_pdf(out, docx, result)


def _plain_pdf(soffice: str, docx: Path, folder: Path, result: OfficeResult) -> None:
    """Convert without UNO: the PDF's 目录 keeps its titles but has no page numbers."""
    profile = (folder / "profile").resolve().as_uri()
    command = [soffice, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={profile}",
               "--convert-to", "pdf", "--outdir", str(folder), str(docx)]
    _office_run(command, folder, result)
    _keep_pdf(folder / docx.with_suffix(".pdf").name, docx, result)


def _office_run(command: list[str], folder: Path, result: OfficeResult) -> bool:
    try:
        done = subprocess.run(command, env=office_env(folder), stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        result.notes.append(f"LibreOffice 超过 {TIMEOUT_SECONDS} 秒未完成，已放弃。")
        return False
    except OSError as exc:
        result.notes.append(f"无法启动 LibreOffice（{exc.strerror or exc}）。")
        return False
    return done.returncode == 0


def _keep_pdf(made: Path, docx: Path, result: OfficeResult) -> None:
    """Move the PDF beside the docx; LibreOffice can exit 0 without writing one, so check that it exists."""
    if not made.is_file() or made.stat().st_size == 0:
        result.failed = True
        result.notes.append("LibreOffice 没有生成 PDF（可能是同一用户配置被占用或文档无法打开），请重试。")
        return
    result.pdf = atomic_write(docx.with_suffix(".pdf"), lambda tmp: shutil.copyfile(made, tmp))
