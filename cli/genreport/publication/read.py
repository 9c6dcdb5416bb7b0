"""Open a publication (PDF or .docx), recognise its profile and import it; the verbs api.py hands on."""

from __future__ import annotations

from pathlib import Path

from ..errors import GenreportError, UnreadablePublication
from ..oserrors import reason
from ..private import temporary_folder
from ..profile import Profile, list_profiles, load_profile
from .document import Document
from .importer import Imported, import_document, table_score
from .inputs import read_inputs

#: The file types a publication may have.
SUFFIXES = (".pdf", ".docx")


def is_publication(path: Path) -> bool:
    """Return True when path names a publication (PDF or Word) rather than a workbook."""
    return Path(path).suffix.lower() in SUFFIXES


def read_document(path: Path) -> Document:
    """Return the neutral model of the PDF or .docx at path.

    This is the one place a publication is opened: a file that cannot be read, or that its reader cannot parse
    (junk, truncated, not really a PDF or .docx), raises UnreadablePublication with one sentence that says so.
    """
    path = Path(path)
    _check_readable(path)
    if path.suffix.lower() == ".pdf":
        from .pdf import read_pdf

        return read_pdf(path)
    from ..render.docxread import read_docx

    return read_docx(path)


def _check_readable(path: Path) -> None:
    """Raise UnreadablePublication unless path is a non-empty file this account may read."""
    try:
        if not path.is_file():
            raise UnreadablePublication.of("找不到文件：{file}", file=path)
        with path.open("rb") as stream:
            empty = not stream.read(1)
    except PermissionError:
        raise UnreadablePublication.of("没有权限读取“{file}”，请检查文件权限，或先关闭正在使用该文件的程序。",
                                       file=path) from None
    except OSError as exc:
        raise UnreadablePublication.of("无法读取“{file}”（{why}），请检查文件路径。", file=path, why=reason(exc)) from None
    if empty:
        raise UnreadablePublication.of("“{name}”是空文件（0 字节），请重新导出或重新下载后重试。", name=Path(path.name))


def recognise(document: Document, profile: str | None = None) -> Profile:
    """Return the profile given, else the installed profile whose tables the document shows best.

    A profile fits by the tables whose title and header both match, then by the titles found; a document
    with no table title of any profile is refused (GenreportError).
    """
    if profile:
        return load_profile(profile)
    scores = [(table_score(document, p), index, p) for index, p in enumerate(list_profiles())]
    (matched, titled), _, best = max(scores, key=lambda s: (s[0], -s[1]))
    if not titled:
        raise GenreportError.of("“{name}”中找不到任何一张公开表的表名，无法识别报告样式；"
                                "请用 --profile 指定样式，或确认这是部门决算（预算）公开文档。",
                                name=Path(document.source.name))
    return best


def import_publication(source: Path, profile: str | None = None) -> Imported:
    """Return what the publication at source holds, read with its (recognised or given) profile."""
    document = read_document(source)
    chosen = recognise(document, profile)
    imported = import_document(document, chosen)
    imported.data["forms"].setdefault("profile", {})["profile"] = chosen.title
    imported.document = document
    with temporary_folder("publication") as folder:
        try:
            imported.made_up = read_inputs(document, imported, folder)
        except (GenreportError, ArithmeticError, KeyError, TypeError, ValueError):
            # the template cannot print what these tables hold: no input is read and the narrative is not audited
            imported.made_up = []
    imported.finish()
    return imported
