"""The only place that imports openpyxl: reading, writing and annotating workbooks."""

from .annotate import annotate_workbook
from .read import norm, read_workbook
from .write import write_workbook

__all__ = ["annotate_workbook", "norm", "read_workbook", "write_workbook"]
