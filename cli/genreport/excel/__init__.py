"""Reading, writing and annotating workbooks; the only place that imports openpyxl (for writing only).

Reading (xlsx.py, no openpyxl) is imported at once; writing, annotating, the batch 汇总 workbook and the merged
department workbook, which use openpyxl, when first used (a report only reads).
"""

from .guard import open_workbook as open_book  # every stage that reads a workbook reads this one opening
from .peek import form_value
from .read import norm, read_workbook

_LATER = {"annotate_workbook": "annotate", "SummarySheet": "summary", "display_width": "summary",
          "is_summary": "summary", "write_summary": "summary", "write_workbook": "write",
          "is_merged": "merged", "write_merged": "merged"}


def __getattr__(name: str) -> object:
    if name in _LATER:
        from importlib import import_module

        return getattr(import_module(f".{_LATER[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["SummarySheet", "annotate_workbook", "display_width", "form_value", "is_merged", "is_summary", "norm",
           "open_book", "read_workbook",
           "write_merged", "write_summary", "write_workbook"]
