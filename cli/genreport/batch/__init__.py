"""The batch verb: check and generate many workbooks in worker processes, with a summary (汇总.xlsx, 汇总.json).

A layer above the verbs: items.py holds the types (Item, Outcome with its Status, Progress, BatchResult),
inputs.py which workbooks were given, worker.py what a worker process does with one workbook (the pipeline's
stages), output.py where the files go and the summary writer, run.py the batch itself.
"""

from __future__ import annotations

from .inputs import collect_inputs
from .items import (CONFLICT, FAILED, FORCED, FOUND, INVALID, OK, PASSED, PENDING, SKIPPED, STATUS_LABEL,
                    SUMMARY_JSON, SUMMARY_XLSX, BatchResult, Item, Outcome, Progress, Shown, Status)
from .output import write_summaries
from .run import run_batch

__all__ = ["CONFLICT", "FAILED", "FORCED", "FOUND", "INVALID", "OK", "PASSED", "PENDING", "SKIPPED", "STATUS_LABEL",
           "SUMMARY_JSON", "SUMMARY_XLSX", "BatchResult", "Item", "Outcome", "Progress", "Shown", "Status",
           "collect_inputs", "run_batch", "write_summaries"]
