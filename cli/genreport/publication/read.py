"""Open a publication (PDF or .docx), recognise its profile and import it; the verbs api.py hands on."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import GenreportError
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
    """Return the neutral model of the PDF or .docx at path (GenreportError when it cannot be read)."""
    path = Path(path)
    if not path.is_file():
        raise GenreportError.of("找不到文件：{file}", file=path)
    if path.suffix.lower() == ".pdf":
        from .pdf import read_pdf

        return read_pdf(path)
    from ..render.docxread import read_docx

    return read_docx(path)


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
    with tempfile.TemporaryDirectory(prefix="genreport-") as folder:
        try:
            imported.made_up = read_inputs(document, imported, Path(folder))
        except (GenreportError, ArithmeticError, KeyError, TypeError, ValueError):
            # the template cannot print what these tables hold: no input is read and the narrative is not audited
            imported.made_up = []
    imported.finish()
    return imported
