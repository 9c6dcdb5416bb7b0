"""Build templates/report.docx: styles, cover, 目录, narrative wording, charts and the nine tables from the spec.

Run `python tools/build_template.py` after changing the spec's table layouts or the wording in narrative.py.
The result is an ordinary Word document with docxtpl tags; editors may also edit it directly in Word/WPS.
Typography lives in template_styles.py (styles only: no direct run formatting in the body).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "cli"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from genreport.profile import list_profiles, load_profile  # noqa: E402
from genreport.render.overrides import bookmark_name  # noqa: E402
from genreport.spec import TableSpec, header_grid, load_spec  # noqa: E402

from template_layout import (LANDSCAPE_MM, PORTRAIT_MM, column_widths, fix_table_grid, mark_row,  # noqa: E402
                             needs_landscape, set_cell, setup_page, table_columns)
from template_parts import MARKERS  # noqa: E402
from template_styles import chinese_document_settings, define_styles  # noqa: E402

TOC_LEVELS = {"Heading 1": 1, "Heading 2": 2, "表名": 2}
MONEY_STYLE = {"money": "表格数字", "lineno": "表格居中", "code": "表格文字"}


def add_page_number_footer(section) -> None:
    """Footer "— N —" (style 页码); later sections inherit it."""
    paragraph = section.footer.paragraphs[0]
    paragraph.style = "页码"
    paragraph.add_run("— ")
    _field(paragraph, " PAGE ", "1")
    paragraph.add_run(" —")


def _fld(kind: str):
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _field(paragraph, instruction: str, cached: str, close: bool = True) -> None:
    """Append a complex field; an open one (close=False) is ended later, after its cached result."""
    paragraph._p.append(_fld("begin"))
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    instr_run.append(instr)
    paragraph._p.append(instr_run)
    paragraph._p.append(_fld("separate"))
    if cached:
        paragraph.add_run(cached)
    if close:
        paragraph._p.append(_fld("end"))


def add_toc(doc):
    """Add the 目录 title and the first paragraph of a TOC field; fill_toc() adds the cached entries."""
    doc.add_paragraph("目  录", style="目录标题")
    first = doc.add_paragraph(style="TOC 1")
    _field(first, ' TOC \\o "1-2" \\h \\z \\u ', "", close=False)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)
    return first


def fill_toc(doc, first) -> None:
    """Bookmark every heading (_Toc…) and cache one hyperlinked TOC entry per heading, then end the field.

    Word and LibreOffice add the page numbers when the field is updated; the links work before that.
    """
    headings = [p for p in doc.paragraphs if p.style.name in TOC_LEVELS and p.text.strip()]
    paragraph = first
    for i, heading in enumerate(headings):
        level = TOC_LEVELS[heading.style.name]
        anchor = f"_Toc{900000 + i}"
        add_bookmark(heading, anchor)
        if i:
            new = doc.add_paragraph(style=f"TOC {level}")
            paragraph._p.addnext(new._p)
            paragraph = new
        elif level != 1:
            paragraph.style = f"TOC {level}"
        paragraph._p.append(_toc_link(anchor, heading.text))
    paragraph._p.append(_fld("end"))


def _toc_link(anchor: str, text: str):
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    link.append(run)
    return link


def add_items(doc, items) -> list:
    """Append (style, text[, paragraph key]) paragraphs and ("@marker", "") tables; return the paragraphs.

    A key becomes a gr_<key> bookmark (wording overrides); a 表名 right after a part heading stays on its page.
    """
    added = []
    for item in items:
        style, text = item[0], item[1]
        if style.startswith("@"):
            MARKERS[style](doc)
            continue
        paragraph = doc.add_paragraph(text, style=style)
        if style in ("表名", "附件标题") and added and added[-1].style.name == "Heading 1":
            paragraph.paragraph_format.page_break_before = False
        if len(item) > 2:
            add_bookmark(paragraph, bookmark_name(item[2]))
        added.append(paragraph)
    return added


_BOOKMARK_IDS = iter(range(1, 100000))


def add_bookmark(paragraph, name: str) -> None:
    """Wrap the paragraph's content in a bookmark called name."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    number = str(next(_BOOKMARK_IDS))
    start.set(qn("w:id"), number)
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), number)
    ppr = paragraph._p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def add_table(doc, spec: TableSpec, text_width_mm: float) -> None:
    columns = table_columns(spec)
    rows_in_header = len(spec.header)
    table = doc.add_table(rows=rows_in_header + 3, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for r, c, cell in header_grid(spec.header, len(columns)):
        target = table.cell(r, c)
        if cell.colspan > 1 or cell.rowspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        set_cell(target, cell.text, "表格标题")
    for r in range(rows_in_header):
        mark_row(table.rows[r], header=True)
    loop, data, end = (table.rows[rows_in_header + i] for i in range(3))
    loop.cells[0].paragraphs[0].add_run(f"{{%tr for r in tables.{spec.id}.rows %}}")
    end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for i, column in enumerate(columns):
        set_cell(data.cells[i], f"{{{{ r[{i}]|cell }}}}", MONEY_STYLE.get(column.role, "表格文字"))
    for row in (loop, data, end):
        mark_row(row, header=False)
    fix_table_grid(table, column_widths(columns, text_width_mm))


def add_table_section(doc, spec: TableSpec, landscape: bool, new_page: bool) -> None:
    title = doc.add_paragraph(spec.heading, style="表名")
    if not new_page:
        title.paragraph_format.page_break_before = False
    width = LANDSCAPE_MM if landscape else PORTRAIT_MM
    if spec.number:
        number = doc.add_paragraph(spec.number, style="表头信息")
        number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    line = doc.add_paragraph(style="表头信息")
    line.paragraph_format.tab_stops.add_tab_stop(Mm(width), alignment=WD_TAB_ALIGNMENT.RIGHT)
    line.add_run("部门名称：{{ dept_name }}\t单位：万元")
    add_table(doc, spec, width)
    doc.add_paragraph(spec.note, style="表注")
    if spec.empty_note:
        doc.add_paragraph(f"{{%p if tables.{spec.id}.empty %}}", style="表注")
        doc.add_paragraph(f"{{{{ tables.{spec.id}.empty_note }}}}", style="表注")
        doc.add_paragraph("{%p endif %}", style="表注")


def new_section(doc, landscape: bool) -> None:
    """Start a new-page section that continues the page numbers; its break paragraph gets the 1 pt style 分节."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    doc.paragraphs[-1].style = "分节"
    for num in section._sectPr.findall(qn("w:pgNumType")):
        section._sectPr.remove(num)
    setup_page(section, landscape)


def add_tables(doc, spec) -> None:
    """Each table on its own page; wide tables in landscape sections."""
    landscape = False
    for index, table in enumerate(spec.tables):
        wide = needs_landscape(table)
        if wide or landscape:
            new_section(doc, wide)
        landscape = wide
        add_table_section(doc, table, wide, new_page=index > 0)
    if landscape:
        new_section(doc, False)


def build(profile_id: str) -> Path:
    """Build the template of a profile (its spec's tables, its narrative module's wording) and return its path."""
    profile = load_profile(profile_id)
    spec = load_spec(profile.spec)
    words = importlib.import_module(profile.narrative)
    doc = Document()
    define_styles(doc, PORTRAIT_MM)
    chinese_document_settings(doc)
    setup_page(doc.sections[0])
    add_items(doc, words.COVER)
    new_section(doc, False)
    toc = add_toc(doc)
    new_section(doc, False)
    doc.sections[-1].footer.is_linked_to_previous = False
    add_page_number_footer(doc.sections[-1])
    _restart_numbering(doc.sections[-1])
    add_items(doc, words.PROFILE)
    add_items(doc, [getattr(words, "TABLES_HEADING", ("Heading 1", "第二部分 {{ year }}年度{{ kind }}决算表"))])
    add_tables(doc, spec)
    add_items(doc, words.NARRATIVE)
    add_items(doc, words.GLOSSARY)
    add_items(doc, words.ATTACHMENT)
    fill_toc(doc, toc)
    target = ROOT / "templates" / profile.template
    doc.save(target)
    return target


def _restart_numbering(section) -> None:
    num = OxmlElement("w:pgNumType")
    num.set(qn("w:start"), "1")
    num.set(qn("w:fmt"), "decimal")
    section._sectPr.append(num)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Build the Word template(s) of the installed profiles.")
    parser.add_argument("--profile", action="append", help="profile id (default: every installed profile)")
    for name in parser.parse_args().profile or [p.id for p in list_profiles()]:
        print(f"wrote {build(name)}")
