"""The neutral model of a publication: text lines and table grids in reading order, each with its page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_SPACE = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
#: A page number line: — 4 —, - 4 -, 4, 第 4 页, 第4页 共61页.
_FOOTER = re.compile(r"^[-—–－\s]*(第\s*)?\d{1,4}(\s*页)?(\s*共\s*\d+\s*页)?[-—–－\s]*$")


def squeeze(text: str | None) -> str:
    """Return text without line breaks and without the spaces CJK justification puts between characters.

    A space is kept only between two ASCII letters or digits ("Word 2016"); "示例 XX 局" becomes "示例XX局".
    """
    if not text:
        return ""

    def keep(match: re.Match[str]) -> str:
        before = match.string[match.start() - 1] if match.start() else ""
        after = match.string[match.end()] if match.end() < len(match.string) else ""
        return " " if _ASCII_WORD.match(before or "") and _ASCII_WORD.match(after or "") and "\n" not in match.group() else ""

    return _SPACE.sub(keep, text.strip())


def is_footer(text: str) -> bool:
    """Return True for a page-number line (the publication's footer), which is not part of the text."""
    return bool(_FOOTER.match(text))


@dataclass
class Grid:
    """One table as drawn on one page: rows of cell texts (None for a cell a merge covers)."""

    rows: list[list[str | None]]
    page: int | None

    @property
    def width(self) -> int:
        """Return the number of columns."""
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Line:
    """One line (PDF) or paragraph (Word) of running text, squeezed."""

    text: str
    page: int | None


@dataclass
class Document:
    """A publication as read: its blocks (Line or Grid) in reading order."""

    source: Path
    blocks: list[Line | Grid] = field(default_factory=list)
    pages: int = 0

    @property
    def lines(self) -> list[Line]:
        """Return the text lines without page numbers."""
        return [b for b in self.blocks if isinstance(b, Line) and b.text and not is_footer(b.text)]

    @property
    def grids(self) -> list[Grid]:
        """Return the table grids."""
        return [b for b in self.blocks if isinstance(b, Grid)]


def page_label(page: int | None) -> str:
    """Return 第 7 页, or "" when the page is not known (a Word document has no fixed pages)."""
    return f"第 {page} 页" if page else ""


__all__ = ["Document", "Grid", "Line", "is_footer", "key", "page_label", "squeeze"]


def key(text: str | None) -> str:
    """Return text normalised for matching labels and titles: NFKC, no whitespace, no leader dots."""
    import unicodedata

    return re.sub(r"[\s.·…]+", "", unicodedata.normalize("NFKC", text or ""))
