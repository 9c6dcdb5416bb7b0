"""The narrative audit: the 情况说明's figures against those the template prints for the imported tables.

The profile's template is rendered from the imported workbook, and (inputs.py) with every input made up. A figure
both renders print alike depends on the tables and the inputs read alone; the publication's clauses are aligned
with the first render (figures masked) and every such figure it states differently is one finding, with its page
and sentence. Figures that depend on inputs the publication's text does not hand over are not audited.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..address import Address
from ..issues import Issue
from ..model import Workbook
from ..profile import Profile
from .document import Document, page_label
from .inputs import aligned, rendered_clauses
from .narrative_text import Clause, clauses, number_value


def narrative_issues(document: Document, workbook: Workbook, profile: Profile, made_up: list[Clause],
                     folder: Path) -> list[Issue]:
    """Return one narrative-mismatch per figure the publication states differently from what its tables give.

    made_up is the render with every input made up (inputs.read_inputs); folder takes the audit's render.
    """
    expected = rendered_clauses(workbook, profile, folder / "expected.docx")
    audited = _table_only(expected, made_up)
    issues = []
    for ours, stated in aligned(expected, clauses(document)):
        for position in audited.get(id(ours), ()):
            if number_value(ours.numbers[position]) != number_value(stated.numbers[position]):
                issues.append(_finding(profile, stated, stated.numbers[position], ours.numbers[position]))
    return issues


def _table_only(expected: list[Clause], made_up: list[Clause]) -> dict[int, tuple[int, ...]]:
    """Return id(clause) → positions of the figures both renders print alike (no made-up input changes them)."""
    audited: dict[int, tuple[int, ...]] = {}
    for ours, other in aligned(expected, made_up):
        same = tuple(i for i, (x, y) in enumerate(zip(ours.numbers, other.numbers)) if x == y)
        if same:
            audited[id(ours)] = same
    return audited


def _finding(profile: Profile, clause: Clause, stated: str, computed: str) -> Issue:
    sentence = clause.sentence if len(clause.sentence) <= 80 else clause.sentence[:78] + "……"
    issue = profile.catalogue.issue("narrative-mismatch", Address("情况说明"), sentence=sentence, stated=stated,
                                    computed=computed)
    return dataclasses.replace(issue, page=page_label(clause.page))
