"""Build the spec's tables into the rendered document where the template places them (at render time).

The template holds one paragraph `{{ all_tables }}` (every table in the spec's order) or one
`{{ table('t05') }}` per table. Rendering turns them into markers; insert_tables replaces each marker
paragraph by the tables' headings, captions, grids and notes, with wide tables in landscape sections.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any
import weakref

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Mm

from ..amounts import NumberFormat
from ..spec import HeaderCell, TableSpec, header_grid
from .chartbook import xml_escape as escape
from .filters import cell as cell_text
from .layout import (CELL_MARGIN_TWIPS, column_widths, fit_headers, header_lines, needs_landscape, setup_page,
                     style_pt)

#: Style ids resolved per document part (see _style).
_STYLE_IDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_HEADER_PT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

ALL_TABLES = "〔genreport:all_tables〕"
_ONE_TABLE = "〔genreport:table:"
CELL_STYLES = {"money": "表格数字", "lineno": "表格居中", "code": "表格文字", "code_part": "表格居中"}
#: Paragraph and table styles the tables need; a template must keep them (template check says so).
REQUIRED_STYLES = ("表名", "表头信息", "表注", "表格标题", "表格文字", "表格数字", "表格居中", "分节", "Table Grid")


def table_mark(table_id: str) -> str:
    """Return the marker text `{{ table('t05') }}` renders to."""
    return f"{_ONE_TABLE}{table_id}〕"


def marked_tables(text: str, order: list[str]) -> list[str] | None:
    """Return the table ids a paragraph's text places (None when it is not a table placeholder)."""
    text = text.strip()
    if text == ALL_TABLES:
        return list(order)
    if text.startswith(_ONE_TABLE) and text.endswith("〕"):
        return [text[len(_ONE_TABLE):-1]]
    return None


def insert_tables(document: Any, tables: dict[str, dict[str, Any]], order: list[str]) -> None:
    """Replace every table placeholder paragraph of the document by the tables it names."""
    text = qn("w:t")
    for p in list(document.element.body.iterchildren(qn("w:p"))):
        runs = "".join(t.text or "" for t in p.iter(text))
        ids = marked_tables(runs, order) if "〔" in runs else None  # the markers' bracket: most paragraphs skip
        if ids is None:
            continue
        _insert_before(document, p, [tables[i] for i in ids if i in tables])
        p.getparent().remove(p)


def _insert_before(document: Any, anchor: Any, views: list[dict[str, Any]]) -> None:
    governing = _governing_section(anchor)
    portrait = Section(governing, document.part)
    after_heading = _previous_style(document, anchor) == "Heading 1"
    landscape = False
    for index, view in enumerate(views):
        wide = needs_landscape(view["spec"], _text_width_mm(portrait))
        if wide and not landscape:
            _add_break(document, anchor, _closing_copy(governing))
        elif landscape and not wide:
            _add_break(document, anchor, _landscape_copy(document, governing))
        landscape = wide
        width = _text_width_mm(portrait) if not wide else _landscape_width_mm(document, governing)
        new_page = not (index == 0 and after_heading and not wide)
        for element in _table_section(document, view, width, new_page):
            anchor.addprevious(element)
    if landscape:
        _add_break(document, anchor, _landscape_copy(document, governing))


def _table_section(document: Any, view: dict[str, Any], width_mm: float, new_page: bool) -> list[Any]:
    """Return the heading, number, caption, grid and notes of one table as body elements (parsed once)."""
    caption_style = _style(document, "表头信息")
    parts = [_paragraph_xml(view["heading"], _style(document, "表名"),
                            "<w:pageBreakBefore/>" if new_page else '<w:pageBreakBefore w:val="0"/>')]
    if view["number"]:
        parts.append(_paragraph_xml(view["number"], caption_style, '<w:jc w:val="right"/>'))
    tab = f'<w:tabs><w:tab w:val="right" w:pos="{int(Mm(width_mm).twips)}"/></w:tabs>'
    parts.append(_paragraph_xml(view["caption"], caption_style, tab))
    parts.append(_grid(document, view, width_mm))
    notes = [view["note"]] + ([view["empty_note"]] if view["empty"] and view["empty_note"] else [])
    parts += [_paragraph_xml(text, _style(document, "表注")) for text in notes if text]
    return list(parse_xml(f"<w:body {nsdecls('w')}>{''.join(parts)}</w:body>"))


def _paragraph_xml(text: str, style: str | None, properties: str = "") -> str:
    """Return a paragraph in style holding text (tabs kept); properties follow the style in schema order."""
    named = f'<w:pStyle w:val="{escape(style)}"/>' if style else ""
    runs = "<w:r><w:tab/></w:r>".join(f'<w:r><w:t xml:space="preserve">{escape(piece)}</w:t></w:r>' if piece else ""
                                      for piece in text.split("\t"))
    return f"<w:p><w:pPr>{named}{properties}</w:pPr>{runs}</w:p>"


def _grid(document: Any, view: dict[str, Any], width_mm: float) -> str:
    """Return the table XML: the spec's header grid (repeated on every page), then one row per line.

    Built as text: python-docx's cell merging costs more than the rest of the report.
    """
    spec: TableSpec = view["spec"]
    columns = spec.print_columns_in_order
    grid = header_grid(view["header"], len(columns))
    font_pt = _header_pt(document)
    own = [max((h.text for _, c, h in grid if c == i and h.colspan == 1), key=len, default="") for i in range(len(columns))]
    widths = fit_headers(column_widths(columns, width_mm, spec.unit), columns, own, font_pt)
    twips = [int(Mm(w).twips) for w in widths]
    header = _header_xml(grid, len(view["header"]), widths, font_pt, _style(document, "表格标题"))
    styles = [_style(document, CELL_STYLES.get(c.role, "表格文字")) for c in columns]
    body = "".join(_row_xml(values, styles, twips, view["formats"]) for values in view["rows"])
    columns_xml = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    return (f"<w:tbl>{_table_properties(document, int(Mm(sum(widths)).twips))}"
            f"<w:tblGrid>{columns_xml}</w:tblGrid>{header}{body}</w:tbl>")


def _header_pt(document: Any) -> float:
    """Return the font size of the header style 表格标题 (looked up once per document)."""
    if document.part not in _HEADER_PT:
        _style(document, "表格标题")  # names the style when the template lacks it
        _HEADER_PT[document.part] = style_pt(document.styles["表格标题"])
    return _HEADER_PT[document.part]


def _table_properties(document: Any, width: int) -> str:
    """Return the tblPr of a table: the grid style, centred, fixed layout at width twips, 1 mm cell margins."""
    style = _style(document, "Table Grid")
    margins = "".join(f'<w:{side} w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>' for side in ("left", "right"))
    named = f'<w:tblStyle w:val="{escape(style)}"/>' if style else ""
    return (f'<w:tblPr>{named}<w:tblW w:w="{width}" w:type="dxa"/>'
            f'<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblCellMar>{margins}</w:tblCellMar>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr>')


def _header_xml(grid: list[tuple[int, int, HeaderCell]], height: int, widths: list[float], font_pt: float,
                style: str | None) -> str:
    """Return the header rows: merged cells span columns (gridSpan) and rows (vMerge); rows repeat on every page."""
    covered: dict[tuple[int, int], tuple[HeaderCell, bool]] = {}
    for r, c, head in grid:
        for below in range(head.rowspan):
            covered[(r + below, c)] = (head, below == 0)
    rows = []
    for r in range(height):
        cells, c = [], 0
        while c < len(widths):
            head, first = covered.get((r, c), (None, False))
            span = head.colspan if head else 1
            width = int(Mm(sum(widths[c:c + span])).twips)
            merge = "" if not head or head.rowspan == 1 else '<w:vMerge w:val="restart"/>' if first else "<w:vMerge/>"
            text = header_lines(head.text, sum(widths[c:c + span]), font_pt) if head and first else ""
            cells.append(_cell_xml(text, style if head and first else None, width, span, merge))
            c += span
        rows.append(f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{''.join(cells)}</w:tr>")
    return "".join(rows)


def _row_xml(values: list[Any], styles: list[str | None], twips: list[int], formats: list[NumberFormat]) -> str:
    """Return one body row: amounts (Decimal, or None for a blank cell) in their column's format, texts as they are."""
    cells = "".join(_cell_xml(cell_text(v, fmt), style, width)
                    for v, style, width, fmt in zip(values, styles, twips, formats))
    return f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>"


def _cell_xml(text: str, style: str | None, width: int, span: int = 1, merge: str = "") -> str:
    """Return one vertically centred cell of width twips holding text (line breaks kept) in paragraph style."""
    spans = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    properties = f'<w:pPr><w:pStyle w:val="{escape(style)}"/></w:pPr>' if style else ""
    lines = '</w:t><w:br/><w:t xml:space="preserve">'.join(escape(line) for line in text.split("\n"))
    run = f'<w:r><w:t xml:space="preserve">{lines}</w:t></w:r>' if text else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{spans}{merge}<w:vAlign w:val="center"/></w:tcPr>'
            f"<w:p>{properties}{run}</w:p></w:tc>")


def _style(document: Any, name: str) -> str | None:
    """Return the style id of name (None for a default style); a TemplateProblem names a missing style.

    Every style is looked at once per document: python-docx searches the styles at every lookup by name.
    """
    from .environment import TemplateProblem

    known = _STYLE_IDS.get(document.part)
    if known is None:
        known = _STYLE_IDS[document.part] = {s.name: None if s.element.default else s.style_id for s in document.styles}
    if name not in known:
        raise TemplateProblem(f"Word 模板缺少样式“{name}”，表格无法排版；请从导出的默认模板复制该样式。")
    return known[name]


def _previous_style(document: Any, anchor: Any) -> str | None:
    previous = anchor.getprevious()
    while previous is not None and previous.tag != qn("w:p"):
        previous = previous.getprevious()
    if previous is None:
        return None
    style = previous.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    if style is None:
        return None
    for candidate in document.styles:
        if candidate.style_id == style.get(qn("w:val")):
            return candidate.name
    return None


def _governing_section(anchor: Any) -> Any:
    """Return the sectPr of the section the anchor paragraph belongs to."""
    node = anchor
    while node is not None:
        found = node.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if node.tag == qn("w:p") else None
        if found is not None:
            return found
        if node.tag == qn("w:sectPr"):
            return node
        node = node.getnext()
    return anchor.getparent().find(qn("w:sectPr"))


#: What only the first section of a run may carry: later ones continue its numbering and share its footer.
_FIRST_ONLY = ("w:pgNumType", "w:headerReference", "w:footerReference")


def _closing_copy(governing: Any) -> Any:
    """Return a copy of the governing section for the part before the tables.

    The copy keeps the numbering restart and the footer; the governing section (the part after the
    tables) loses them, so it continues the numbering and links to the previous footer.
    """
    copy = deepcopy(governing)
    for tag in _FIRST_ONLY:
        for element in governing.findall(qn(tag)):
            governing.remove(element)
    return copy


def _landscape_copy(document: Any, governing: Any) -> Any:
    copy = deepcopy(governing)
    for tag in _FIRST_ONLY:
        for element in copy.findall(qn(tag)):
            copy.remove(element)
    setup_page(Section(copy, document.part), landscape=True)
    return copy


def _landscape_width_mm(document: Any, governing: Any) -> float:
    return _text_width_mm(Section(_landscape_copy(document, governing), document.part))


def _text_width_mm(section: Section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


def _add_break(document: Any, anchor: Any, sect_pr: Any) -> None:
    """Insert before anchor a 1 pt paragraph (style 分节) that ends a section with sect_pr."""
    paragraph = document.add_paragraph()
    paragraph._p.style = _style(document, "分节")
    paragraph._p.get_or_add_pPr().append(sect_pr)
    anchor.addprevious(paragraph._p)
