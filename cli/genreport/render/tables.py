"""Build the spec's tables into the rendered document where the template places them (at render time).

The template holds one paragraph `{{ all_tables }}` (every table in the spec's order) or one
`{{ table('t05') }}` per table. Rendering turns them into markers; insert_tables replaces each marker
paragraph by the tables' headings, captions, grids and notes, with wide tables in landscape sections.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any
import weakref

from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm

from ..amounts import NumberFormat
from ..spec import HeaderCell, TableSpec, header_grid
from .filters import cell as cell_text
from .layout import (CELL_MARGIN_TWIPS, column_widths, fit_headers, header_lines, needs_landscape, setup_page,
                     style_pt)
from .ooxml import add, declared, element, qname

#: Style ids resolved per document part (see _style).
_STYLE_IDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_HEADER_PT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

ALL_TABLES = "〔genreport:all_tables〕"
_ONE_TABLE = "〔genreport:table:"
CELL_STYLES = {"money": "表格数字", "lineno": "表格居中", "code": "表格文字", "code_part": "表格居中"}
_W = declared("w")
_PRESERVE = {"xml:space": "preserve"}
_TEXT, _CELL = qname("w:t"), qname("w:tc")
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
    """Return the heading, number, caption, grid and notes of one table as body elements."""
    caption_style = _style(document, "表头信息")
    heading = _paragraph(view["heading"], _style(document, "表名"))
    add(heading[0], "w:pageBreakBefore", None if new_page else {"w:val": "0"})
    parts = [heading]
    if view["number"]:
        parts.append(_paragraph(view["number"], caption_style))
        add(parts[-1][0], "w:jc", {"w:val": "right"})
    parts.append(_paragraph(view["caption"], caption_style))
    add(add(parts[-1][0], "w:tabs"), "w:tab", {"w:val": "right", "w:pos": int(Mm(width_mm).twips)})
    parts.append(_grid(document, view, width_mm))
    notes = [view["note"]] + ([view["empty_note"]] if view["empty"] and view["empty_note"] else [])
    parts += [_paragraph(text, _style(document, "表注")) for text in notes if text]
    return parts


def _paragraph(text: str, style: str | None) -> Any:
    """Return a paragraph in style holding text (tabs kept); its properties (first child) may take more after the
    style, in schema order."""
    paragraph = element("w:p", nsmap=_W)
    properties = add(paragraph, "w:pPr")
    if style:
        add(properties, "w:pStyle", {"w:val": style})
    for index, piece in enumerate(text.split("\t")):
        if index:
            add(add(paragraph, "w:r"), "w:tab")
        if piece:
            add(add(paragraph, "w:r"), "w:t", _PRESERVE, piece)
    return paragraph


def _grid(document: Any, view: dict[str, Any], width_mm: float) -> Any:
    """Return the table: the spec's header grid (repeated on every page), then one row per line.

    Body rows are copies of one row made per table, their texts set: building each cell element by element (or
    with python-docx's cell merging) costs more than the rest of the report.
    """
    spec: TableSpec = view["spec"]
    columns = spec.print_columns_in_order
    grid = header_grid(view["header"], len(columns))
    font_pt = _header_pt(document)
    own = [max((h.text for _, c, h in grid if c == i and h.colspan == 1), key=len, default="") for i in range(len(columns))]
    widths = fit_headers(column_widths(columns, width_mm, spec.unit), columns, own, font_pt)
    twips = [int(Mm(w).twips) for w in widths]
    table = element("w:tbl", nsmap=_W)
    _add_table_properties(table, document, int(Mm(sum(widths)).twips))
    columns_element = add(table, "w:tblGrid")
    for width in twips:
        add(columns_element, "w:gridCol", {"w:w": width})
    _add_header(table, grid, len(view["header"]), widths, font_pt, _style(document, "表格标题"))
    row = _body_row([_style(document, CELL_STYLES.get(c.role, "表格文字")) for c in columns], twips)
    for values in view["rows"]:
        _add_row(table, row, values, view["formats"])
    return table


def _header_pt(document: Any) -> float:
    """Return the font size of the header style 表格标题 (looked up once per document)."""
    if document.part not in _HEADER_PT:
        _style(document, "表格标题")  # names the style when the template lacks it
        _HEADER_PT[document.part] = style_pt(document.styles["表格标题"])
    return _HEADER_PT[document.part]


def _add_table_properties(table: Any, document: Any, width: int) -> None:
    """Add the tblPr of a table: the grid style, centred, fixed layout at width twips, 1 mm cell margins."""
    properties = add(table, "w:tblPr")
    style = _style(document, "Table Grid")
    if style:
        add(properties, "w:tblStyle", {"w:val": style})
    add(properties, "w:tblW", {"w:w": width, "w:type": "dxa"})
    add(properties, "w:jc", {"w:val": "center"})
    add(properties, "w:tblLayout", {"w:type": "fixed"})
    margins = add(properties, "w:tblCellMar")
    for side in ("left", "right"):
        add(margins, f"w:{side}", {"w:w": CELL_MARGIN_TWIPS, "w:type": "dxa"})
    add(properties, "w:tblLook", {"w:val": "04A0", "w:firstRow": 1, "w:lastRow": 0, "w:firstColumn": 1,
                                  "w:lastColumn": 0, "w:noHBand": 0, "w:noVBand": 1})


def _add_header(table: Any, grid: list[tuple[int, int, HeaderCell]], height: int, widths: list[float],
                font_pt: float, style: str | None) -> None:
    """Add the header rows: merged cells span columns (gridSpan) and rows (vMerge); rows repeat on every page."""
    covered: dict[tuple[int, int], tuple[HeaderCell, bool]] = {}
    for r, c, head in grid:
        for below in range(head.rowspan):
            covered[(r + below, c)] = (head, below == 0)
    for r in range(height):
        row = add(table, "w:tr")
        properties = add(row, "w:trPr")
        add(properties, "w:cantSplit")
        add(properties, "w:tblHeader")
        c = 0
        while c < len(widths):
            head, first = covered.get((r, c), (None, False))
            span = head.colspan if head else 1
            width = int(Mm(sum(widths[c:c + span])).twips)
            merge = None if not head or head.rowspan == 1 else {"w:val": "restart"} if first else {}
            text = header_lines(head.text, sum(widths[c:c + span]), font_pt) if head and first else ""
            _add_cell(row, text, style if head and first else None, width, span, merge)
            c += span


def _body_row(styles: list[str | None], twips: list[int]) -> Any:
    """Return the row every body row is copied from: one cell per column, in its style and width."""
    row = element("w:tr", nsmap=_W)
    add(add(row, "w:trPr"), "w:cantSplit")
    for style, width in zip(styles, twips):
        _add_cell(row, "-", style, width)
    return row


def _add_row(table: Any, body_row: Any, values: list[Any], formats: list[NumberFormat]) -> None:
    """Add a copy of body_row holding values: amounts (Decimal, or None for a blank cell) in their column's format,
    texts as they are."""
    texts = [cell_text(v, fmt) for v, fmt in zip(values, formats)]
    row = deepcopy(body_row)
    for place, text in zip(list(row.iter(_TEXT)), texts):
        _set_text(place, text)
    for cell in row.findall(_CELL)[len(texts):]:
        row.remove(cell)
    table.append(row)


def _add_cell(row: Any, text: str, style: str | None, width: int, span: int = 1,
              merge: dict[str, str] | None = None) -> None:
    """Add one vertically centred cell of width twips holding text (line breaks kept) in paragraph style."""
    cell = add(row, "w:tc")
    properties = add(cell, "w:tcPr")
    add(properties, "w:tcW", {"w:w": width, "w:type": "dxa"})
    if span > 1:
        add(properties, "w:gridSpan", {"w:val": span})
    if merge is not None:
        add(properties, "w:vMerge", merge)
    add(properties, "w:vAlign", {"w:val": "center"})
    paragraph = add(cell, "w:p")
    if style:
        add(add(paragraph, "w:pPr"), "w:pStyle", {"w:val": style})
    if text:
        _set_text(add(add(paragraph, "w:r"), "w:t", _PRESERVE), text)


def _set_text(place: Any, text: str) -> None:
    """Set the text of a cell's w:t: its lines separated by w:br; a blank text drops the run."""
    run = place.getparent()
    if not text:
        run.getparent().remove(run)
        return
    first, *more = text.split("\n")
    place.text = first or None
    for line in more:
        add(run, "w:br")
        add(run, "w:t", _PRESERVE, line)


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
