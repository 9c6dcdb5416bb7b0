"""Page and table geometry: GB/T 9704 page, fitted column widths, balanced header and heading lines."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from ..units import DEFAULT_UNIT, unit_factor
from ..spec import TableSpec

PORTRAIT_MM = 156.0  # GB/T 9704 text block width
#: (minimum, maximum) width in mm: 999,999.99 in 10 pt Times New Roman, "行次", a 7-digit code, plus cell margins.
CLAMP = {"money": (19.0, 22.0), "lineno": (10.0, 12.0), "code": (15.0, 18.0), "code_part": (8.0, 10.0)}
TEXT_MIN_MM = 30.0  # a label or name column below this wraps every line
DIGIT_MM = 1.8  # one more digit (and its share of a thousands separator) of an amount in a finer unit than 万元
CELL_MARGIN_TWIPS = 57  # 1 mm left/right inside table cells
MM_PER_POINT = 25.4 / 72
SHORTEST_LAST_LINE = 3  # a header cell's last line has at least this many characters (no “合／计”)
HEADER_WIDEN_MM = 4.0  # a money/行次/code column may grow this much for its header to fit on one line


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


def fit_headers(widths: list[float], columns, headers: list[str], font_pt: float) -> list[float]:
    """Widen fixed-size columns a little (≤ HEADER_WIDEN_MM) so their header fits on one line, taking the room from
    the text columns while those keep TEXT_MIN_MM; headers that still wrap are balanced by header_lines."""
    widths = list(widths)
    flexible = [i for i, c in enumerate(columns) if c.role not in CLAMP]
    for i, text in enumerate(headers):
        lacking = header_width_mm(text, font_pt) - widths[i]
        slack = sum(widths[j] - TEXT_MIN_MM for j in flexible)
        if i in flexible or not 0 < lacking <= HEADER_WIDEN_MM or lacking > slack:
            continue
        for j in flexible:
            widths[j] -= lacking * (widths[j] - TEXT_MIN_MM) / slack
        widths[i] += lacking
    return widths


def header_width_mm(text: str, font_pt: float) -> float:
    """Return the width a cell needs to show text on one line (its longest line when it has breaks)."""
    longest = max(sum(_em(ch) for ch in line) for line in text.split("\n")) if text else 0
    return longest * font_pt * MM_PER_POINT + 2 * CELL_MARGIN_TWIPS / 56.7 + 0.3


def needs_landscape(spec: TableSpec, portrait_mm: float = PORTRAIT_MM) -> bool:
    """Return True when the spec asks for landscape or the columns cannot get their minimum widths in portrait."""
    needed = sum(clamp(c.role, spec.unit)[0] if c.role in CLAMP else TEXT_MIN_MM for c in spec.print_columns_in_order)
    return spec.landscape or needed > portrait_mm


def header_lines(text: str, width_mm: float, font_pt: float) -> str:
    """Return a header cell's text with line breaks placed so that no line is left with one or two characters.

    A line holds as many characters as fit in the cell (CJK full width, Latin and digits half); when the last
    line would be shorter than SHORTEST_LAST_LINE, the text is broken into equal lines instead.
    """
    per_line = int((width_mm - 2 * CELL_MARGIN_TWIPS / 56.7 - 0.3) / (font_pt * MM_PER_POINT) + 1e-6)
    return "\n".join(_balanced(part, max(per_line, 1)) for part in text.split("\n"))


def _balanced(text: str, per_line: int) -> str:
    size = sum(_em(ch) for ch in text)
    if size <= per_line or len(text) < 2 * SHORTEST_LAST_LINE:
        return text
    lines = -(-int(size + 0.999) // per_line)
    if size - (lines - 1) * per_line >= SHORTEST_LAST_LINE:
        return text  # the natural wrap already leaves a long enough last line
    share = size / lines
    out, used, breaks = [], 0.0, 0
    for ch in text:
        if out and breaks < lines - 1 and used + _em(ch) > share + 1e-6:
            out.append("\n")
            used, breaks = 0.0, breaks + 1
        out.append(ch)
        used += _em(ch)
    return "".join(out)


def _em(ch: str) -> float:
    return 0.5 if ord(ch) < 0x2E80 else 1.0


def balance_headings(document, text_width_mm: float = PORTRAIT_MM, styles: tuple[str, ...] = ("Heading 1",)) -> None:
    """Break a centred heading at its first space when it would otherwise leave one or two characters alone on
    its second line (“第一部分 ……概况” → “第一部分” / “……概况”)."""
    chosen = {s.style_id: s for s in document.styles if s.name in styles}  # by id: no style lookup per paragraph
    for paragraph in document.paragraphs:
        style = chosen.get(paragraph._p.style)
        if style is None or " " not in paragraph.text or "\n" in paragraph.text:
            continue
        size = style_pt(style)
        per_line = int(text_width_mm / (size * MM_PER_POINT))
        text = paragraph.text
        em = sum(_em(ch) for ch in text)
        if em <= per_line or em - per_line >= SHORTEST_LAST_LINE:
            continue
        rest = text.split(" ", 1)[1]
        if sum(_em(ch) for ch in rest) <= per_line:
            _break_at_first_space(paragraph)


def style_pt(style) -> float:
    """Return the font size of a style (following its base styles), 10.5 pt when none is set."""
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return 10.5


def _break_at_first_space(paragraph) -> None:
    """Replace the first space of the paragraph's runs by a line break, keeping the runs' formatting."""
    for run in paragraph.runs:
        if " " in run.text:
            before, after = run.text.split(" ", 1)
            run.text = before
            run.add_break()
            run.add_text(after)
            return
