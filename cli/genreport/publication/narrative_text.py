"""Running text as clauses: words with the figures masked, the figures, the sentence and the page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Document, Grid, Line, is_footer

#: A figure in running text: 2024, 10,394.91, 52.76%.
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
_SENTENCE_END = "。；;！？"


@dataclass(frozen=True)
class Clause:
    """A clause of running text: its words with the figures masked, the figures, its sentence and page."""

    skeleton: str
    numbers: tuple[str, ...]
    sentence: str
    page: int | None


def number_value(number: str) -> str:
    """Return a printed figure without its thousands separators (10,394.91 → 10394.91)."""
    return number.replace(",", "")


def clauses(document: Document) -> list[Clause]:
    """Return the running text of a document as clauses (tables, page numbers and empty lines left out)."""
    pieces: list[tuple[str, int | None]] = []
    for block in document.blocks:
        if isinstance(block, Line) and block.text and not is_footer(block.text):
            pieces.append((_plain(block.text), block.page))
        elif isinstance(block, Grid):
            pieces.append(("\n", None))  # a table breaks the running text
    text, starts = "", []
    for piece, page in pieces:
        starts.append((len(text), page))
        text += piece
    found = []
    for sentence, at in _split(text, f"[{_SENTENCE_END}\n]"):
        for clause, offset in _split(sentence, "[，：]"):
            if clause.strip():
                numbers = tuple(_NUMBER.findall(clause))
                skeleton = _NUMBER.sub("#", clause).rstrip(_SENTENCE_END + "，：")  # "…万元，" is "…万元。"
                found.append(Clause(skeleton, numbers, sentence.strip(), _page_at(starts, at + offset)))
    return found


def _split(text: str, ends: str) -> list[tuple[str, int]]:
    """Return the pieces of text ending after each end character, with their offsets."""
    pieces, start = [], 0
    for match in re.finditer(ends, text):
        pieces.append((text[start:match.end()], start))
        start = match.end()
    if start < len(text):
        pieces.append((text[start:], start))
    return pieces


def _page_at(starts: list[tuple[int, int | None]], offset: int) -> int | None:
    page = None
    for start, number in starts:
        if start > offset:
            break
        page = number
    return page


def _plain(text: str) -> str:
    """Return text without whitespace (full-width punctuation kept: an ASCII comma belongs to a number)."""
    return re.sub(r"\s+", "", text)

