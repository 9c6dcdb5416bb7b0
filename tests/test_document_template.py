"""The generated document's typography and layout: Chinese fonts on every style, tables that fit, TOC, page numbers.

The styles come from the bundled template; the tables, sections and 目录 entries are built at render time.
"""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from genreport.api import generate_report

CHINESE_FONTS = {"仿宋_GB2312", "黑体", "楷体_GB2312", "宋体", "方正小标宋简体"}
MONEY_MIN = Mm(18.5)


@pytest.fixture(scope="module")
def template(sample_path, tmp_path_factory):
    result = generate_report(sample_path, tmp_path_factory.mktemp("layout"))
    return Document(str(result.output))


def _east_asian_font(styles_element, style) -> str | None:
    """Follow basedOn up to docDefaults and return the eastAsia font the style resolves to."""
    while style is not None:
        fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
        based = style.find(qn("w:basedOn"))
        style = None if based is None else styles_element.find(
            f"{qn('w:style')}[@{qn('w:styleId')}='{based.get(qn('w:val'))}']")
    defaults = styles_element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    return defaults.get(qn("w:eastAsia"))


def test_every_style_resolves_to_a_chinese_font_without_theme_fonts(template):
    styles = template.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character", "table"):
            assert _east_asian_font(styles, style) in CHINESE_FONTS, style.get(qn("w:styleId"))
    for fonts in styles.iter(qn("w:rFonts")):
        assert not any(k.endswith("Theme") or k.endswith("theme") for k in fonts.attrib), fonts.attrib


def test_language_is_simplified_chinese_not_japanese(template):
    lang = template.settings.element.find(qn("w:themeFontLang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    default = template.styles.element.find(f"{qn('w:docDefaults')}//{qn('w:lang')}")
    assert default.get(qn("w:eastAsia")) == "zh-CN"


def test_body_and_heading_styles_follow_the_government_conventions(template):
    styles = template.styles
    assert styles["Normal"].font.size.pt == 16
    assert round(styles["Normal"].paragraph_format.line_spacing.pt, 2) == 28.95
    for name in ("Heading 1", "Heading 2", "Heading 3", "表名"):
        assert styles[name].element.pPr.find(qn("w:outlineLvl")) is not None
    assert styles["表格文字"].font.size.pt < 16


def test_pages_are_a4_with_gbt9704_margins_and_wide_tables_in_landscape(template):
    sections = template.sections
    portrait = [s for s in sections if s.page_width < s.page_height]
    landscape = [s for s in sections if s.page_width > s.page_height]
    assert landscape and portrait
    for section in portrait:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    for table in template.tables:
        section = _section_of(template, table)
        text_width = section.page_width - section.left_margin - section.right_margin
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert Mm(sum(widths) / 56.7) <= text_width + Mm(1)


def _section_of(doc, table):
    """Return the section whose break follows the table (the section the table is laid out in)."""
    node = table._tbl
    while node is not None:
        sect = node.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if node.tag == qn("w:p") else None
        if sect is not None:
            return next(s for s in doc.sections if s._sectPr is sect)
        node = node.getnext()
    return doc.sections[-1]


def test_money_columns_are_wide_enough_for_a_million(template, spec):
    for table, table_spec in zip(template.tables, spec.tables):
        columns = [c for b in table_spec.blocks for c in b.columns] if table_spec.blocks else table_spec.columns
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        for column, width in zip(columns, widths):
            if column.role == "money":
                assert width >= MONEY_MIN.twips, (table_spec.id, column.id)


def test_header_rows_repeat_and_no_row_splits(template, spec):
    for table, table_spec in zip(template.tables, spec.tables):
        rows = table._tbl.findall(qn("w:tr"))
        for index, row in enumerate(rows):
            props = row.find(qn("w:trPr"))
            assert props.find(qn("w:cantSplit")) is not None
            assert (props.find(qn("w:tblHeader")) is not None) == (index < len(table_spec.header))


def test_toc_field_and_update_on_open(template):
    body = template.element.body
    codes = [t.text.strip() for t in body.iter(qn("w:instrText"))]
    assert codes[0].startswith('TOC \\o "1-2"')  # then each line's page number, linked to its heading; no PAGE field
    assert codes[1:] and all(code.startswith("PAGEREF _Toc") and code.endswith("\\h") for code in codes[1:])
    assert template.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    entries = [p.text.strip() for p in template.paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    headings = [p.text.replace("\n", " ")  # a long 第N部分 heading breaks after its number
                for p in template.paragraphs if p.style.name in ("Heading 1", "Heading 2", "表名")]
    assert entries == headings


def test_page_numbers_start_at_one_on_the_first_body_page_and_not_on_the_cover(template):
    sections = template.sections
    assert sections[0].footer.is_linked_to_previous and sections[1].footer.is_linked_to_previous
    assert not sections[2].footer.is_linked_to_previous
    footer = sections[2].footer.paragraphs[0]
    assert footer.text.startswith("—") and footer.text.endswith("—") and footer.style.name == "页码"
    assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))
    restarts = [i for i, s in enumerate(sections) if s._sectPr.find(qn("w:pgNumType")) is not None]
    assert restarts == [2]
    assert all(s.footer.is_linked_to_previous for s in sections[3:])


def test_merged_header_cells_span_the_width_of_their_columns_and_one_fixed_layout(template):
    for table in template.tables[:9]:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert len(table._tbl.tblPr.findall(qn("w:tblLayout"))) == 1
        for tr in table._tbl.findall(qn("w:tr")):
            column = 0
            for tc in tr.findall(qn("w:tc")):
                span = tc.grid_span
                assert abs(tc.width.twips - sum(grid[column:column + span])) <= span, (column, span)
                column += span
