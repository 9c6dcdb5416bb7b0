"""Styles of templates/report.docx: GB/T 9704 fonts and sizes, East Asian fonts on every style, zh-CN theme."""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

LATIN = "Times New Roman"
BODY_FONT = "仿宋_GB2312"
LINE = Pt(28.95)  # GB/T 9704: 22 lines a page
SINGLE, TIGHT = "single", "tight"
C, L, R, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY

# name: (east asian font, size pt, alignment, first-line indent in chars, outline level, line spacing)
# line spacing: None = fixed 28.95 pt, a number = fixed points, SINGLE = single (tables, charts).
STYLES = {
    "Normal": (BODY_FONT, 16, J, 2, None, None),
    "Title": ("方正小标宋简体", 22, C, 0, None, 40),
    "Heading 1": ("黑体", 22, C, 0, 0, 40),
    "Heading 2": ("黑体", 16, L, 2, 1, None),
    "Heading 3": ("楷体_GB2312", 16, L, 2, 2, None),
    "表名": ("方正小标宋简体", 18, C, 0, 1, 32),
    "附件标题": ("方正小标宋简体", 18, C, 0, None, 32),
    "表头信息": ("宋体", 12, L, 0, None, SINGLE),
    "表格文字": ("宋体", 10, L, 0, None, SINGLE),
    "表格数字": ("宋体", 10, R, 0, None, SINGLE),
    "表格居中": ("宋体", 10, C, 0, None, SINGLE),
    "表格标题": ("黑体", 10, C, 0, None, SINGLE),
    "表注": (BODY_FONT, 12, J, 0, None, SINGLE),
    "图": (BODY_FONT, 12, C, 0, None, SINGLE),
    "图题": ("黑体", 14, C, 0, None, None),
    "封面": ("方正小标宋简体", 26, C, 0, None, 44),
    "封面日期": ("楷体_GB2312", 16, C, 0, None, None),
    "目录标题": ("黑体", 22, C, 0, None, 40),
    "TOC 1": ("黑体", 14, L, 0, None, 26),
    "TOC 2": (BODY_FONT, 14, L, 0, None, 26),
    "页码": ("宋体", 14, C, 0, None, SINGLE),
    "分节": (BODY_FONT, 1, L, 0, None, 1),
}
#: Styles whose paragraphs start a new page (every part, every table).
NEW_PAGE = ("Heading 1", "表名", "附件标题")
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr_parent, east_asian: str) -> None:
    """Set ascii/hAnsi/cs to Times New Roman and eastAsia to east_asian; drop theme fonts; zh-CN."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    _name_fonts(fonts, east_asian)
    _zh_lang(rpr)


def _name_fonts(fonts, east_asian: str) -> None:
    """Replace theme fonts on an rFonts element by Times New Roman and the given East Asian font."""
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), east_asian)


def _zh_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def define_styles(doc, text_width_mm: float) -> None:
    """Define every style the template uses and repair the fonts of all the others."""
    _defaults(doc)
    styles = doc.styles
    for name, spec in STYLES.items():
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
        _define(style, *spec)
        style.quick_style = True
        style.paragraph_format.page_break_before = name in NEW_PAGE
    for name in ("Heading 1", "Heading 2", "Heading 3", "表名", "图"):
        styles[name].paragraph_format.keep_with_next = True
    for name in ("Heading 1", "表名"):
        styles[name].paragraph_format.space_after = Pt(12)
    styles["TOC 2"].paragraph_format.left_indent = Pt(28)
    for name in ("TOC 1", "TOC 2"):
        styles[name].paragraph_format.tab_stops.add_tab_stop(Mm(text_width_mm), WD_TAB_ALIGNMENT.RIGHT,
                                                             WD_TAB_LEADER.DOTS)
    _repair_other_styles(doc)


def _define(style, font: str, size: float, align, indent: int, outline, spacing) -> None:
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = None
    set_fonts(style.element, font)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Pt(size * indent) if indent else Pt(0)
    fmt.left_indent = Pt(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.widow_control = True
    if spacing == SINGLE:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE if spacing is None else Pt(spacing)
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        level = ppr.find(qn("w:outlineLvl"))
        if level is None:
            level = OxmlElement("w:outlineLvl")
            ppr.append(level)
        level.set(qn("w:val"), str(outline))


def _defaults(doc) -> None:
    """Document defaults: 仿宋_GB2312 / Times New Roman, zh-CN, no spacing after paragraphs."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _name_fonts(rpr.find(qn("w:rFonts")), BODY_FONT)
    _zh_lang(rpr)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")


def _repair_other_styles(doc) -> None:
    """Give every style that names theme fonts (also in table-style parts) explicit Chinese fonts."""
    for element in doc.styles.element.findall(qn("w:style")):
        name = element.find(qn("w:name")).get(qn("w:val"))
        east = "黑体" if name.lower().startswith(("heading", "title", "subtitle")) else BODY_FONT
        for fonts in element.iter(qn("w:rFonts")):
            if not any(qn(a) in fonts.attrib for a in THEME_ATTRS):
                continue
            _name_fonts(fonts, east)
            color = fonts.getparent().find(qn("w:color"))
            if color is not None and name.lower().startswith("heading"):
                fonts.getparent().remove(color)


def chinese_document_settings(doc) -> None:
    """Theme language zh-CN (Word picks 宋体 for theme East Asian text), no stray thumbnail."""
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    package = doc.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[r_id]
    doc.core_properties.title = ""
    doc.core_properties.author = "genreport"
    doc.core_properties.comments = ""
