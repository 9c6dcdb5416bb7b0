"""Outdated figures in absorbed wording: an editor's sentence that still states a number the workbook no longer gives.

A 文字调整 row written by `genreport absorb` keeps the paragraph as it was generated then (生成时原文). Its
figures are compared with the paragraph generated now: a number the old paragraph and the editor's text share
but the new paragraph lacks is outdated; the new value is the one at the same place in the new paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from docx.oxml.ns import qn

from .overrides import Override, normal_key

_NUMBER = re.compile(r"(?<![\d.])-?\d[\d,]*(?:\.\d+)?(?:\s*(?:万元|亿元|元|%|％|个百分点))?")


@dataclass(frozen=True)
class Stale:
    """One outdated figure of a 文字调整 row: as written, and as computed now ("" when it has no counterpart)."""

    override: Override
    written: str
    now: str


def figures_of(text: str) -> list[str]:
    """Return the numbers stated in text, each with its unit (10,394.91万元, 52.76%), in order."""
    return [m.group(0) for m in _NUMBER.finditer(text)]


def _bare(figure: str) -> str:
    return re.sub(r"[^\d.\-]", "", figure)


def unmatched_figures(text: str, generated: str) -> list[str]:
    """Return the amounts and percentages stated in text that the generated paragraph does not state."""
    given = {_bare(f) for f in figures_of(generated)}
    return [f for f in dict.fromkeys(figures_of(text)) if ("." in f or not f[-1].isdigit()) and _bare(f) not in given]


def stale_figures(paragraphs: dict[str, object], overrides: Iterable[Override]) -> list[Stale]:
    """Return the outdated figures of the overrides that carry their generated original (paragraphs: key → <w:p>)."""
    found = []
    for override in overrides:
        paragraph = paragraphs.get(normal_key(override.key))
        if not override.original or override.delete or paragraph is None:
            continue
        now_text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        found += _outdated(override, figures_of(override.original), figures_of(now_text))
    return found


def _outdated(override: Override, then: list[str], now: list[str]) -> list[Stale]:
    then_bare, now_bare = [_bare(f) for f in then], {_bare(f) for f in now}
    found, seen = [], set()
    for written in figures_of(override.text):
        bare = _bare(written)
        if bare in seen or bare not in then_bare or bare in now_bare:
            continue
        seen.add(bare)
        at = then_bare.index(bare)
        found.append(Stale(override, written, now[at] if len(then) == len(now) else ""))
    return found
