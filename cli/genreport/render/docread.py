"""Read a .docx as an editor left it: paragraphs (text, paragraph key, character formatting) and table cells.

Word, WPS and LibreOffice split runs, move bookmarks out of paragraphs, add fallback copies of drawings and
turn quotes and spaces into their typographic forms; what is read here does not depend on any of that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docx.oxml.ns import qn

from .overrides import PREFIX, key_of

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: Elements whose text is not the paragraph's own (a text box, the fallback copy of a drawing).
_NOT_OWN = {qn("w:txbxContent"), MC_FALLBACK, qn("w:del"), qn("w:moveFrom")}
#: Tracked changes: absorbing them unseen would carry what nobody accepted.
REVISIONS = ("w:ins", "w:del", "w:moveFrom", "w:moveTo", "w:rPrChange", "w:pPrChange")
#: Character formatting an editor adds by hand, and its name in the list of what was not carried.
FORMATS = {"w:b": "加粗", "w:i": "倾斜", "w:u": "下划线", "w:strike": "删除线", "w:dstrike": "删除线",
           "w:highlight": "突出显示", "w:color": "字体颜色", "w:vertAlign": "上下标"}
_OFF = {"0", "false", "off", "none", "auto", "000000", "baseline"}
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "＂": '"', "＇": "'"})
_SPACE = re.compile(r"[\s\u3000\u00a0\u2000-\u200d\u2060\ufeff]+")


def normal(text: str) -> str:
    """Return text as compared: quotes straight, every kind of space (full-width, no-break, zero-width) removed."""
    return _SPACE.sub("", text.translate(_QUOTES))


@dataclass
class Paragraph:
    """One paragraph of the body (outside tables and the 目录)."""

    text: str
    keys: list[str]
    """The paragraph keys whose bookmarks start in (or just before) it, numbered as in the document (s1.1)."""
    heading: str
    """The text of the nearest heading above it ("" before the first)."""
    formats: list[frozenset[str]] = field(default_factory=list)
    """The hand-added formatting of each character of text."""
    is_heading: bool = False

    @property
    def norm(self) -> str:
        """Return the text as compared (see normal)."""
        return normal(self.text)

    @property
    def key(self) -> str | None:
        """Return the paragraph's own key (the first bookmark), None for a paragraph without one."""
        return self.keys[0] if self.keys else None

    def formatted(self) -> dict[str, str]:
        """Return {format name: the first stretch of text carrying it}."""
        found: dict[str, str] = {}
        for name in sorted({n for f in self.formats for n in f}):
            chars = [c if name in f else "\0" for c, f in zip(self.text, self.formats)]
            found[name] = next(s for s in "".join(chars).split("\0") if s.strip())
        return found


@dataclass
class Table:
    """One table of the body: its rows of cell texts, and the heading or caption just above it."""

    rows: list[list[str]]
    title: str
    grid: list[list[tuple[int, int]]] = field(default_factory=list)
    """Per row, each cell's first grid column and the number of grid columns it spans."""

    def label_above(self, row: int, cell: int, header: int) -> str:
        """Return the text of the nearest header cell (of the first header rows) above cell that is no number."""
        start = self.grid[row][cell][0]
        for above in reversed(range(min(header, len(self.rows)))):
            for text, (first, span) in zip(self.rows[above], self.grid[above]):
                if first <= start < first + span and text.strip() and not numeric(text):
                    return text.strip().replace("\n", "")
        return str(cell + 1)


@dataclass
class Content:
    """What an edited document holds: paragraphs, tables, comments and tracked changes."""

    paragraphs: list[Paragraph]
    tables: list[Table]
    comments: list[Paragraph]
    """The paragraphs a comment is anchored in."""
    revisions: int
    identifier: str


#: Largest unpacked .docx read: a report with its charts is a few MB; more is no report (or a zip bomb).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024


class TooLarge(ValueError):
    """The .docx unpacks to more than MAX_UNZIPPED_BYTES."""


def read_content(path: Path) -> Content:
    """Return the content of the .docx at path (ValueError when it is not a readable Word document, TooLarge)."""
    import zipfile

    from docx import Document

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(str(exc)) from exc
    if unpacked > MAX_UNZIPPED_BYTES:
        raise TooLarge(f"{unpacked} bytes")
    try:
        document = Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a file that is no .docx
        raise ValueError(str(exc)) from exc
    headings = {s.style_id for s in document.styles if s.name.lower().startswith(("heading", "title", "标题"))}
    toc = {s.style_id for s in document.styles if s.name.lower().startswith(("toc", "目录"))}
    reader = _Reader(headings, toc)
    reader.walk(document.element.body)
    body = document.element.body
    revisions = sum(1 for tag in REVISIONS for _ in body.iter(qn(tag)))
    return Content(reader.paragraphs, reader.tables, reader.comments, revisions,
                   document.core_properties.identifier or "")


class _Reader:
    """Walk the body once: paragraphs in order, tables with the title above them, bookmarks moved out."""

    def __init__(self, headings: set[str], toc: set[str]) -> None:
        self.headings, self.toc = headings, toc
        self.paragraphs: list[Paragraph] = []
        self.tables: list[Table] = []
        self.comments: list[Paragraph] = []
        self.pending: list[str] = []  # bookmarks that stand between paragraphs: they mark the next one
        self.fields: list[str] = []  # the instructions of the fields open at this point
        self.heading = ""

    def walk(self, container) -> None:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                self.paragraph(child)
            elif child.tag == qn("w:tbl"):
                rows, grid = _table_rows(child)
                self.tables.append(Table(rows, self._title(), grid))
            elif child.tag == qn("w:bookmarkStart"):
                self.pending += _keys([child])
            elif child.tag in (qn("w:sdt"), qn("w:customXml")):
                content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else child
                if content is not None and not _is_toc_block(child):
                    self.walk(content)

    def paragraph(self, p) -> None:
        in_toc = self._track_fields(p) or _style(p) in self.toc
        text, formats = _text_and_formats(p)
        keys = self.pending + _keys(p.iter(qn("w:bookmarkStart")))
        self.pending = []
        if in_toc:
            return
        if not text.strip() and keys:  # a bookmark left alone in an emptied paragraph marks the next one
            self.pending = keys
            return
        is_heading = _style(p) in self.headings
        if is_heading and text.strip():
            self.heading = text.strip()
        paragraph = Paragraph(text, keys, self.heading, formats, is_heading)
        self.paragraphs.append(paragraph)
        if next(p.iter(qn("w:commentRangeStart"), qn("w:commentReference")), None) is not None:
            self.comments.append(paragraph)

    def _track_fields(self, p) -> bool:
        """Follow field begin/instruction/end through p; True when p lies in (or opens) a TOC field."""
        inside = any(i.lstrip().upper().startswith("TOC") for i in self.fields)
        for node in p.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:fldSimple")):
            if node.tag == qn("w:fldSimple"):
                inside = inside or node.get(qn("w:instr"), "").lstrip().upper().startswith("TOC")
            elif node.tag == qn("w:instrText") and self.fields:
                self.fields[-1] += node.text or ""
            elif node.get(qn("w:fldCharType")) == "begin":
                self.fields.append("")
            elif node.get(qn("w:fldCharType")) == "end" and self.fields:
                self.fields.pop()
            inside = inside or any(i.lstrip().upper().startswith("TOC") for i in self.fields)
        return inside

    def _title(self) -> str:
        for paragraph in reversed(self.paragraphs[-3:]):
            if paragraph.text.strip():
                return paragraph.text.strip()
        return self.heading


def _keys(starts) -> list[str]:
    return [key_of(s.get(qn("w:name"), "")) for s in starts if s.get(qn("w:name"), "").startswith(PREFIX)]


def _style(p) -> str:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return "" if style is None else style.get(qn("w:val"), "")


def _is_toc_block(sdt) -> bool:
    gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    return gallery is not None and "content" in (gallery.get(qn("w:val")) or "").lower()


_CHARS = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def _text_and_formats(p) -> tuple[str, list[frozenset[str]]]:
    """Return the paragraph's visible text and the hand-added formatting of each of its characters."""
    pieces: list[str] = []
    formats: list[frozenset[str]] = []
    for run in p.iter(qn("w:r")):
        if _excluded(run, p):
            continue
        marks = _run_formats(run)
        for node in run:
            text = node.text or "" if node.tag == qn("w:t") else _CHARS.get(node.tag, "")
            if node.tag == qn("w:br") and node.get(qn("w:type")) in ("page", "column"):
                text = ""  # a page break is layout, not text
            pieces.append(text)
            formats += [marks] * len(text)
    return "".join(pieces), formats


def _excluded(node, top) -> bool:
    """True when node sits in a text box, a drawing's fallback copy or deleted text inside top."""
    parent = node.getparent()
    while parent is not None and parent is not top:
        if parent.tag in _NOT_OWN:
            return True
        parent = parent.getparent()
    return False


def _run_formats(run) -> frozenset[str]:
    properties = run.find(qn("w:rPr"))
    if properties is None:
        return frozenset()
    found = set()
    for tag, name in FORMATS.items():
        element = properties.find(qn(tag))
        if element is not None and (element.get(qn("w:val")) or "on").lower() not in _OFF:
            found.add(name)
    size, fonts = properties.find(qn("w:sz")), properties.find(qn("w:rFonts"))
    if size is not None and (size.get(qn("w:val")) or "").isdigit():
        found.add(f"字号{int(size.get(qn('w:val'))) / 2:g}磅")
    font = fonts is not None and (fonts.get(qn("w:eastAsia")) or fonts.get(qn("w:ascii")))
    if font:
        found.add(f"字体{font}")
    return frozenset(found)


def _table_rows(table) -> tuple[list[list[str]], list[list[tuple[int, int]]]]:
    """Return the rows of cell texts and, per cell, its first grid column and span (office suites re-grid tables)."""
    rows, grid = [], []
    for tr in table.iterchildren(qn("w:tr")):
        texts, places, column = [], [], 0
        for tc in tr.iterchildren(qn("w:tc")):
            span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            width = int(span.get(qn("w:val"), "1")) if span is not None and span.get(qn("w:val"), "").isdigit() else 1
            texts.append(_cell_text(tc))
            places.append((column, width))
            column += width
        rows.append(texts)
        grid.append(places)
    return rows, grid


def numeric(text: str) -> bool:
    """True when text is a number as printed (1,234.56; -5)."""
    return normal(text).replace(",", "").replace(".", "").replace("-", "").isdigit()


def _cell_text(tc) -> str:
    return "\n".join(_text_and_formats(p)[0] for p in tc.iterchildren(qn("w:p")))
