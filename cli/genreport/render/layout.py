"""Page and table geometry: GB/T 9704 page, fitted table grids, row flags (python-docx objects)."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from ..units import DEFAULT_UNIT, unit_factor
from ..spec import TableSpec

PORTRAIT_MM, LANDSCAPE_MM = 156.0, 243.0  # GB/T 9704 text block width; landscape A4 with the same margins
#: (minimum, maximum) width in mm: 999,999.99 in 10 pt Times New Roman, "行次", a 7-digit code, plus cell margins.
CLAMP = {"money": (19.0, 22.0), "lineno": (10.0, 12.0), "code": (15.0, 18.0)}
TEXT_MIN_MM = 30.0  # a label or name column below this wraps every line
DIGIT_MM = 1.8  # one more digit (and its share of a thousands separator) of an amount in a finer unit than 万元
CELL_MARGIN_TWIPS = 57  # 1 mm left/right inside table cells


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


def clamp(role: str, unit: str = DEFAULT_UNIT) -> tuple[float, float]:
    """Return the (minimum, maximum) width of a fixed-size column; amounts in 元 have four digits more than in 万元."""
    low, high = CLAMP[role]
    if role != "money" or unit_factor(unit) >= unit_factor(DEFAULT_UNIT):
        return low, high
    digits = len(str(int(unit_factor(DEFAULT_UNIT) / unit_factor(unit)))) - 1
    extra = DIGIT_MM * (digits + digits / 3)
    return low + extra, high + extra


def column_widths(columns, text_width_mm: float, unit: str = DEFAULT_UNIT) -> list[float]:
    """Return each column's width in mm: fixed-size columns (money, 行次, code) clamped, text columns share the rest."""
    total = sum(c.width for c in columns)
    widths = [text_width_mm * c.width / total for c in columns]
    flexible = [i for i, c in enumerate(columns) if c.role not in CLAMP]
    if not flexible:
        return widths
    for i, column in enumerate(columns):
        if column.role in CLAMP:
            low, high = clamp(column.role, unit)
            widths[i] = min(max(widths[i], low), high)
    rest = text_width_mm - sum(w for i, w in enumerate(widths) if i not in flexible)
    weight = sum(columns[i].width for i in flexible)
    for i in flexible:
        widths[i] = rest * columns[i].width / weight
    return widths


def needs_landscape(spec: TableSpec, portrait_mm: float = PORTRAIT_MM) -> bool:
    """Return True when the spec asks for landscape or the columns cannot get their minimum widths in portrait."""
    needed = sum(clamp(c.role, spec.unit)[0] if c.role in CLAMP else TEXT_MIN_MM for c in spec.print_columns_in_order)
    return spec.landscape or needed > portrait_mm


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
