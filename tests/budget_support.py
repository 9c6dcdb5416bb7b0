"""The budget sample (上海市普陀区财政局 2025 部门预算): paths, the read model, and the seed's printed figures."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from genreport.api import check_workbook
from genreport.model import Workbook

ROOT = Path(__file__).resolve().parent.parent
BUDGET_PROFILE = "shanghai-district-budget"
BUDGET_SAMPLE = ROOT / "samples" / "putuo-2025-budget" / "workbook.xlsx"
BUDGET_SEED = ROOT.parent / "shared" / "seed-budget" / "putuo-caizhengju-2025-budget.md"


@lru_cache(maxsize=1)
def _read() -> Workbook:
    workbook, _ = check_workbook(BUDGET_SAMPLE)
    return workbook


def budget_workbook() -> Workbook:
    """Return the sample read through its profile (shared: callers that change cells must restore them)."""
    return _read()
