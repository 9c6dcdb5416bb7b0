"""The narrative audit: the 情况说明's figures against those the template prints for the imported tables."""

from __future__ import annotations

from ..issues import Issue
from ..model import Workbook
from ..profile import Profile
from .document import Document


def narrative_issues(document: Document, workbook: Workbook, profile: Profile) -> list[Issue]:
    """Return one narrative-mismatch per figure the publication states differently from the tables."""
    return []
