"""Edit a generated report the way an editor does in Word, and re-save it the way an office suite does."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from genreport.render.overrides import bookmark_name


def keyed(document, key: str) -> Paragraph:
    """Return the paragraph carrying the bookmark of key (s1 → gr_s1_1, s3.term.4 → gr_s3_term_4)."""
    names = {bookmark_name(key), bookmark_name(key) + "_1"}
    for paragraph in document.paragraphs:
        if any(s.get(qn("w:name")) in names for s in paragraph._p.iter(qn("w:bookmarkStart"))):
            return paragraph
    raise KeyError(key)


def set_split(paragraph: Paragraph, text: str) -> None:
    """Give paragraph the text in three runs, the way Word splits a paragraph it has edited."""
    runs = paragraph.runs
    for run in runs[1:]:
        run._r.getparent().remove(run._r)
    third = max(1, len(text) // 3)
    runs[0].text = text[:third]
    paragraph.add_run(text[third:2 * third])
    paragraph.add_run(text[2 * third:])


def reword(text: str) -> str:
    """Return text reworded by an editor: its figures kept, the wording around them changed."""
    return "经审核，" + text.replace("。", "；", 1) + "（编辑改写）"


def add_after(paragraph: Paragraph, text: str) -> Paragraph:
    """Insert a new paragraph (same style, no bookmark) after paragraph, as pressing Enter and typing does."""
    element = copy.deepcopy(paragraph._p)
    for mark in list(element.iter(qn("w:bookmarkStart"))) + list(element.iter(qn("w:bookmarkEnd"))):
        mark.getparent().remove(mark)
    paragraph._p.addnext(element)
    added = Paragraph(element, paragraph._parent)
    set_split(added, text)
    return added


def bold_a_word(paragraph: Paragraph, start: int = 4, length: int = 4) -> str:
    """Bold length characters of the paragraph's text (splitting its runs); return the bolded word."""
    text = paragraph.text
    for run in paragraph.runs[1:]:
        run._r.getparent().remove(run._r)
    first = paragraph.runs[0]
    first.text = text[:start]
    word = paragraph.add_run(text[start:start + length])
    word.bold = True
    paragraph.add_run(text[start + length:])
    return text[start:start + length]


def change_first_number(document) -> tuple[str, str]:
    """Change the first amount printed in the document's tables; return (as generated, as edited)."""
    for row in (row for table in document.tables for row in table.rows):
        for cell in row.cells:
            text = cell.text.strip()
            if re.fullmatch(r"[\d,]+\.\d\d", text) and Decimal(text.replace(",", "")) != 0:
                edited = f"{Decimal(text.replace(',', '')) + 1:,.2f}"
                cell.paragraphs[0].runs[0].text = edited
                return text, edited
    raise AssertionError("no amount in the tables")


def resave_with_libreoffice(path: Path, folder: Path) -> Path:
    """Return path opened and saved again as .docx by LibreOffice (as an office suite rewrites it)."""
    folder.mkdir(parents=True, exist_ok=True)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "docx",
                    "--outdir", str(folder), str(path)], check=True, capture_output=True, timeout=180)
    return folder / path.name


def open_document(path: Path):
    return Document(str(path))
