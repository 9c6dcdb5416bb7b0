"""Build templates/report.docx: styles, cover, 目录, narrative wording and the nine tables from the spec.

Run `python tools/build_template.py` after changing the spec's table layouts or the wording below.
The result is an ordinary Word document with docxtpl tags; editors may also edit it directly in Word/WPS.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "cli"))

from genreport.spec import TableSpec, header_grid, load_spec  # noqa: E402

from narrative import ATTACHMENT, GLOSSARY, NARRATIVE, PROFILE  # noqa: E402

LATIN = "Times New Roman"
STYLES = {
    # name: (east asian font, size pt, bold, alignment, first-line indent chars, outline level)
    "Normal": ("仿宋_GB2312", 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, None),
    "Title": ("方正小标宋简体", 26, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "Heading 1": ("黑体", 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0),
    "Heading 2": ("黑体", 16, False, WD_ALIGN_PARAGRAPH.LEFT, 2, 1),
    "Heading 3": ("楷体_GB2312", 16, False, WD_ALIGN_PARAGRAPH.LEFT, 2, 2),
    "表名": ("方正小标宋简体", 18, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 1),
    "表头信息": ("宋体", 12, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "表格文字": ("宋体", 10, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "表格标题": ("黑体", 10, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "表注": ("仿宋_GB2312", 12, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "图题": ("黑体", 14, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "封面": ("方正小标宋简体", 26, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "封面日期": ("楷体_GB2312", 18, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "目录标题": ("黑体", 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "TOC 1": ("黑体", 14, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "TOC 2": ("仿宋_GB2312", 14, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
}
LINE_SPACING = Pt(28.95)


def set_fonts(rpr_parent, east_asian: str) -> None:
    """Set ascii/hAnsi to Times New Roman and eastAsia to east_asian; drop theme fonts; zh-CN."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:eastAsia"), east_asian)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def define_styles(doc) -> None:
    styles = doc.styles
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for fonts in defaults.findall(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        fonts.set(qn("w:eastAsia"), "仿宋_GB2312")
        fonts.set(qn("w:ascii"), LATIN)
        fonts.set(qn("w:hAnsi"), LATIN)
    for name, (font, size, bold, align, indent, outline) in STYLES.items():
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = None
        set_fonts(style.element, font)
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Pt(size * indent) if indent else Pt(0)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        if name.startswith("表格") or name in ("表注", "表头信息"):
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = LINE_SPACING if size <= 16 else Pt(size * 1.6)
        if outline is not None:
            ppr = style.element.get_or_add_pPr()
            level = ppr.find(qn("w:outlineLvl"))
            if level is None:
                level = OxmlElement("w:outlineLvl")
                ppr.append(level)
            level.set(qn("w:val"), str(outline))
        if name.startswith("Heading") or name == "表名":
            fmt.keep_with_next = True
            fmt.space_before = Pt(12) if name != "Heading 3" else Pt(0)
            fmt.space_after = Pt(6) if name != "Heading 3" else Pt(0)
    styles["Heading 1"].paragraph_format.page_break_before = False


def setup_page(section, landscape: bool = False) -> None:
    short, long_ = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    if landscape:
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
    else:
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(18)


def add_page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.style = section.footer.part.document.styles["表头信息"] if False else paragraph.style
    run = paragraph.add_run("— ")
    set_fonts(run._element, "宋体")
    _field(paragraph, "PAGE", "1")
    run = paragraph.add_run(" —")
    set_fonts(run._element, "宋体")


def _field(paragraph, instruction: str, cached: str) -> None:
    def fld(kind: str):
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run.append(char)
        return run

    paragraph._p.append(fld("begin"))
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    paragraph._p.append(instr_run)
    paragraph._p.append(fld("separate"))
    paragraph.add_run(cached)
    paragraph._p.append(fld("end"))


def add_toc(doc, entries) -> None:
    """Add a TOC field whose cached result lists the entries (Word updates page numbers)."""
    doc.add_paragraph("目  录", style="目录标题")
    first = doc.add_paragraph(style="TOC 1")
    begin = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "begin")
    char.set(qn("w:dirty"), "true")
    begin.append(char)
    first._p.append(begin)
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-2" \\h \\z \\u '
    instr_run.append(instr)
    first._p.append(instr_run)
    sep = OxmlElement("w:r")
    sep_char = OxmlElement("w:fldChar")
    sep_char.set(qn("w:fldCharType"), "separate")
    sep.append(sep_char)
    first._p.append(sep)
    paragraph = first
    for i, (level, text) in enumerate(entries):
        if i:
            paragraph = doc.add_paragraph(style=f"TOC {level}")
        paragraph.add_run(text)
    end = OxmlElement("w:r")
    end_char = OxmlElement("w:fldChar")
    end_char.set(qn("w:fldCharType"), "end")
    end.append(end_char)
    paragraph._p.append(end)
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def add_paragraphs(doc, items) -> None:
    for style, text in items:
        doc.add_paragraph(text, style=style)


def set_cell(cell, text: str, style: str) -> None:
    cell.paragraphs[0].style = style
    if text:
        cell.paragraphs[0].add_run(text)
    tc_pr = cell._tc.get_or_add_tcPr()
    valign = OxmlElement("w:vAlign")
    valign.set(qn("w:val"), "center")
    tc_pr.append(valign)


def mark_row(row, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def add_table(doc, spec: TableSpec, text_width_mm: float) -> None:
    columns = [c for b in spec.blocks for c in b.columns] if spec.blocks else list(spec.columns)
    rows_in_header = len(spec.header)
    table = doc.add_table(rows=rows_in_header + 3, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(c.width for c in columns)
    for i, column in enumerate(columns):
        width = Mm(text_width_mm * column.width / total)
        for cell in table.columns[i].cells:
            cell.width = width
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
        style = "表格文字"
        set_cell(data.cells[i], f"{{{{ r[{i}]|cell }}}}", style)
        if column.role == "money":
            data.cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif column.role in ("lineno",):
            data.cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in (loop, data, end):
        mark_row(row, header=False)


def add_table_section(doc, spec: TableSpec, index: int) -> None:
    doc.add_paragraph(spec.title, style="表名")
    info = doc.add_paragraph(style="表头信息")
    info.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    info.add_run(spec.number)
    line = doc.add_paragraph(style="表头信息")
    width = 243 if spec.landscape else 156
    line.paragraph_format.tab_stops.add_tab_stop(Mm(width), alignment=2)
    line.add_run("部门名称：{{ dept_name }}\t单位：万元")
    add_table(doc, spec, width)
    doc.add_paragraph(spec.note, style="表注")
    if spec.empty_note:
        doc.add_paragraph(f"{{%p if tables.{spec.id}.empty %}}", style="表注")
        doc.add_paragraph(f"{{{{ tables.{spec.id}.empty_note }}}}", style="表注")
        doc.add_paragraph("{%p endif %}", style="表注")


def new_section(doc, landscape: bool) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    setup_page(section, landscape)


def build(out: Path) -> None:
    spec = load_spec("standard")
    doc = Document()
    define_styles(doc)
    setup_page(doc.sections[0])
    add_paragraphs(doc, [("封面", ""), ("封面", ""), ("封面", "{{ year }}年度"),
                         ("封面", "{{ dept_name }}{{ kind }}决算"), ("封面", ""), ("封面", ""),
                         ("封面日期", "{{ compiled_on }}")])
    new_section(doc, False)
    add_toc(doc, toc_entries(spec))
    new_section(doc, False)
    doc.sections[-1].footer.is_linked_to_previous = False
    add_page_number_footer(doc.sections[-1])
    _restart_numbering(doc.sections[-1])
    add_paragraphs(doc, PROFILE)
    doc.add_paragraph("第二部分 {{ year }}年度部门决算表", style="Heading 1")
    landscape = False
    for index, table in enumerate(spec.tables):
        if index:
            new_section(doc, table.landscape) if (table.landscape or landscape) else _page_break(doc)
        landscape = table.landscape
        add_table_section(doc, table, index)
    new_section(doc, False)
    add_paragraphs(doc, NARRATIVE)
    _page_break(doc)
    add_paragraphs(doc, GLOSSARY)
    _page_break(doc)
    add_paragraphs(doc, ATTACHMENT[:2])
    add_attachment_table(doc)
    add_paragraphs(doc, ATTACHMENT[2:])
    doc.save(out)


def add_attachment_table(doc) -> None:
    headers = ["序号", "项目名称", "预算类型", "全年预算数", "全年执行数", "执行率", "自评得分", "等级"]
    cells = ["{{ loop.index }}", "{{ p.name }}", "{{ p.fund }}", "{{ p.completion.budget|money }}",
             "{{ p.completion.actual|money }}", "{{ p.completion.rate|pct }}", "{{ p.score|score }}", "{{ p.grade }}"]
    widths = [8, 52, 18, 18, 18, 14, 12, 10]
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(headers):
        set_cell(table.cell(0, i), text, "表格标题")
        for cell in table.columns[i].cells:
            cell.width = Mm(156 * widths[i] / sum(widths))
    mark_row(table.rows[0], header=True)
    table.cell(1, 0).paragraphs[0].add_run("{%tr for p in fig.performance.projects %}")
    for i, text in enumerate(cells):
        set_cell(table.cell(2, i), text, "表格文字")
        if 3 <= i <= 6:
            table.cell(2, i).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.cell(3, 0).paragraphs[0].add_run("{%tr endfor %}")
    for row in table.rows[1:]:
        mark_row(row, header=False)


def _page_break(doc) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph(style="表注").add_run().add_break(WD_BREAK.PAGE)


def _restart_numbering(section) -> None:
    sect_pr = section._sectPr
    num = OxmlElement("w:pgNumType")
    num.set(qn("w:start"), "1")
    sect_pr.append(num)


def toc_entries(spec) -> list[tuple[int, str]]:
    from narrative import TOC

    return TOC


if __name__ == "__main__":
    target = ROOT / "templates" / "report.docx"
    build(target)
    print(f"wrote {target}")
