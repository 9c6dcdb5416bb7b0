"""A workbook laid out for one profile but naming another: one finding instead of a hundred missing rows."""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable
from typing import Any

from .issues import Issue
from .model import Workbook
from .profile import Profile
from .spec import load_spec

#: Reading problems that show the sheets are not the layout the chosen profile's spec expects.
LAYOUT_CODES = {"missing-sheet", "header-not-found", "header-shifted", "missing-line", "missing-field"}


def layout_profile(source: Path, book: Any, chosen: Profile, issues: list[Issue],
                   installed: Callable[[], list[Profile]]) -> Profile | None:
    """Return the other installed() profile whose layout the workbook (opened: book) has, when it does not have chosen's; else None.

    The installed profile an exported folder was made from is not another profile: a workbook with its layout was
    made before the folder's spec changed, and the reading problems say what no longer matches.
    """
    from .excel import read_workbook

    if not any(i.code in LAYOUT_CODES for i in issues):
        return None
    for other in installed():
        if other.spec_source == chosen.spec_source or other.id == chosen.id:
            continue
        _, theirs = read_workbook(source, load_spec(other.spec_source), book)
        if not any(i.code in LAYOUT_CODES for i in theirs):
            return other
    return None


def mismatch_issue(workbook: Workbook, chosen: Profile, fits: Profile) -> Issue:
    """Return the one finding that replaces the layout problems of a workbook naming the wrong profile."""
    at = workbook.form("profile", "profile")
    where = f"{at.sheet}!{at.cell}" if at.cell else "封面概况的“报告样式”"
    return chosen.catalogue.issue("profile-mismatch", at, where=where, profile_id=chosen.id, expected=fits.title,
                                  actual=chosen.title)
