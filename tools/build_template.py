"""Build templates/report.docx: styles, cover, 目录, narrative wording, charts and the nine tables from the spec.

Run `python tools/build_template.py` after changing the spec's table layouts or the wording in narrative.py.
The result is an ordinary Word document with docxtpl tags; editors may also edit it directly in Word/WPS.
Typography lives in template_styles.py (styles only: no direct run formatting in the body).
"""

from __future__ import annotations

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

from genreport.spec import TableSpec, header_grid, load_spec  # noqa: E402

from narrative import ATTACHMENT, COVER, GLOSSARY, NARRATIVE, PROFILE  # noqa: E402
from template_styles import chinese_document_settings, define_styles  # noqa: E402

PORTRAIT_MM, LANDSCAPE_MM = 156.0, 243.0  # GB/T 9704 text block width; landscape A4 with the same margins
#: (minimum, maximum) width in mm: 999,999.99 in 10 pt Times New Roman, "行次", a 7-digit code, plus cell margins.
CLAMP = {"money": (19.0, 22.0), "lineno": (10.0, 12.0), "code": (15.0, 18.0)}
TEXT_MIN_MM = 30.0  # a label or name column below this wraps every line
CELL_MARGIN_TWIPS = 57  # 1 mm left/right inside table cells
TOC_LEVELS = {"Heading 1": 1, "Heading 2": 2, "表名": 2}
MONEY_STYLE = {"money": "表格数字", "lineno": "表格居中", "code": "表格文字"}


def setup_page(section, landscape: bool = False) -> None:
    """A4 with GB/T 9704 margins (top 37, bottom 35, left 28, right 26 mm); landscape keeps the same block."""
    short, long_ = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    if landscape:
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    else:
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(20) if not landscape else Mm(12)


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
    """Cache one TOC entry per heading (text only; Word/LibreOffice add the page numbers), then end the field."""
    entries = [(TOC_LEVELS[p.style.name], p.text) for p in doc.paragraphs
               if p.style.name in TOC_LEVELS and p.text.strip()]
    paragraph = first
    for i, (level, text) in enumerate(entries):
        if i:
            new = doc.add_paragraph(style=f"TOC {level}")
            paragraph._p.addnext(new._p)
            paragraph = new
        elif level != 1:
            paragraph.style = f"TOC {level}"
        paragraph.add_run(text)
    paragraph._p.append(_fld("end"))


def add_paragraphs(doc, items) -> list:
    return [doc.add_paragraph(text, style=style) for style, text in items]


def set_cell(cell, text: str, style: str) -> None:
    cell.paragraphs[0].style = style
    if text:
        cell.paragraphs[0].add_run(text)
    tc_pr = cell._tc.get_or_add_tcPr()
    valign = OxmlElement("w:vAlign")
    valign.set(qn("w:val"), "center")
    tc_pr.append(valign)


def mark_row(row, header: bool) -> None:
    """Rows never split across pages; header rows repeat on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def table_columns(spec: TableSpec) -> list:
    return [c for b in spec.blocks for c in b.columns] if spec.blocks else list(spec.columns)


def column_widths(columns, text_width_mm: float) -> list[float]:
    """Return each column's width in mm: fixed-size columns (money, 行次, code) clamped, text columns share the rest."""
    total = sum(c.width for c in columns)
    widths = [text_width_mm * c.width / total for c in columns]
    flexible = [i for i, c in enumerate(columns) if c.role not in CLAMP]
    if not flexible:
        return widths
    for i, column in enumerate(columns):
        if column.role in CLAMP:
            low, high = CLAMP[column.role]
            widths[i] = min(max(widths[i], low), high)
    rest = text_width_mm - sum(w for i, w in enumerate(widths) if i not in flexible)
    weight = sum(columns[i].width for i in flexible)
    for i in flexible:
        widths[i] = rest * columns[i].width / weight
    return widths


def needs_landscape(spec: TableSpec) -> bool:
    """Landscape when the spec asks for it, or the columns cannot get their minimum widths in portrait."""
    columns = table_columns(spec)
    needed = sum(CLAMP[c.role][0] if c.role in CLAMP else TEXT_MIN_MM for c in columns)
    return spec.landscape or needed > PORTRAIT_MM


def fix_table_grid(table, widths_mm: list[float]) -> None:
    """Write the widths into tblGrid, tblW and every cell, with a fixed layout and 1 mm cell margins."""
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(Mm(sum(widths_mm)).twips)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tbl_pr.append(margins)


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
    title = doc.add_paragraph(spec.title, style="表名")
    if not new_page:
        title.paragraph_format.page_break_before = False
    width = LANDSCAPE_MM if landscape else PORTRAIT_MM
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


def build(out: Path) -> None:
    spec = load_spec("standard")
    doc = Document()
    define_styles(doc, PORTRAIT_MM)
    chinese_document_settings(doc)
    setup_page(doc.sections[0])
    add_paragraphs(doc, COVER)
    new_section(doc, False)
    toc = add_toc(doc)
    new_section(doc, False)
    doc.sections[-1].footer.is_linked_to_previous = False
    add_page_number_footer(doc.sections[-1])
    _restart_numbering(doc.sections[-1])
    add_paragraphs(doc, PROFILE)
    doc.add_paragraph("第二部分 {{ year }}年度部门决算表", style="Heading 1")
    add_tables(doc, spec)
    add_paragraphs(doc, NARRATIVE)
    add_paragraphs(doc, GLOSSARY)
    attachment = add_paragraphs(doc, ATTACHMENT[:2])
    attachment[-1].paragraph_format.page_break_before = False
    add_attachment_table(doc)
    add_paragraphs(doc, ATTACHMENT[2:])
    fill_toc(doc, toc)
    doc.save(out)


def add_attachment_table(doc) -> None:
    headers = ["序号", "项目名称", "预算类型", "全年预算数", "全年执行数", "执行率", "自评得分", "等级"]
    cells = ["{{ loop.index }}", "{{ p.name }}", "{{ p.fund }}", "{{ p.completion.budget|money }}",
             "{{ p.completion.actual|money }}", "{{ p.completion.rate|pct }}", "{{ p.score|score }}", "{{ p.grade }}"]
    styles = ["表格居中", "表格文字", "表格居中", "表格数字", "表格数字", "表格数字", "表格数字", "表格居中"]
    widths = [8, 52, 18, 18, 18, 14, 12, 10]
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(headers):
        set_cell(table.cell(0, i), text, "表格标题")
    mark_row(table.rows[0], header=True)
    table.cell(1, 0).paragraphs[0].add_run("{%tr for p in fig.performance.projects %}")
    for i, text in enumerate(cells):
        set_cell(table.cell(2, i), text, styles[i])
    table.cell(3, 0).paragraphs[0].add_run("{%tr endfor %}")
    for row in table.rows[1:]:
        mark_row(row, header=False)
    fix_table_grid(table, [PORTRAIT_MM * w / sum(widths) for w in widths])


def _restart_numbering(section) -> None:
    num = OxmlElement("w:pgNumType")
    num.set(qn("w:start"), "1")
    num.set(qn("w:fmt"), "decimal")
    section._sectPr.append(num)


if __name__ == "__main__":
    target = ROOT / "templates" / "report.docx"
    build(target)
    print(f"wrote {target}")
