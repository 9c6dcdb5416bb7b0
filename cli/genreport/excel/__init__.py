"""The only place that imports openpyxl: reading, writing and annotating workbooks."""

from .annotate import annotate_workbook
from .read import norm, read_workbook
from .summary import SummarySheet, display_width, is_summary, write_summary
from .write import write_workbook

__all__ = ["SummarySheet", "annotate_workbook", "display_width", "is_summary", "norm", "read_workbook", "write_summary",
           "write_workbook"]
