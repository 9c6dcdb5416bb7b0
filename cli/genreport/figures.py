"""Every figure the document prints: the spec's `figures:` evaluated on the workbook (figspec.py)."""

from __future__ import annotations

from typing import Any

from .figspec import column_titles, defined_figures
from .model import Workbook
from .profile import Conventions

#: The figures handed to render: figure name → value (groups are mappings; Change, Completion, Part values).
Figures = dict[str, Any]


def compute_figures(workbook: Workbook, profile: Any = None) -> Figures:
    """Return the figures the spec defines (amounts Decimal, rates Decimal or None; none without `figures:`).

    profile is the pipeline's: its conventions grade scores (the default scale when omitted).
    """
    scale = (profile.conventions if profile is not None else Conventions()).grades
    return defined_figures(workbook, scale)


__all__ = ["Figures", "compute_figures", "column_titles"]
