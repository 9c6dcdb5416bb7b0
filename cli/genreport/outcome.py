"""What a batch worker returns for one workbook: a frozen Outcome with a Done status (picklable)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Done(Enum):
    """What a worker did with one workbook."""

    STAGED = "staged"      # its document was written to the staging folder
    REFUSED = "refused"    # it has errors and force is off: no document
    SKIPPED = "skipped"    # its document (and PDF) is newer than the workbook
    FAILED = "failed"      # it could not be processed; first_error says why


@dataclass(frozen=True)
class Outcome:
    """What a worker returns for one workbook (picklable, read-only)."""

    done: Done
    dept_name: str = ""
    year: int | str | None = None
    errors: int = 0
    warnings: int = 0
    first_error: str = ""
    target: str = ""
    """Where its document belongs in outdir ("" when the workbook could not be read)."""
    staged: str | None = None
    staged_pdf: str | None = None
    pdf: bool = False
    """With Done.SKIPPED: its PDF is up to date too."""
    note: str = ""
    seconds: float = 0.0
    pid: int = 0
    peak_kb: int = 0
    cpu: float = 0.0

    @classmethod
    def of(cls, result: Outcome | dict[str, Any]) -> Outcome:
        """Return result, or the failure outcome of the pool's {"failure": …} for a worker that died."""
        if isinstance(result, Outcome):
            return result
        return cls(Done.FAILED, first_error=str(result.get("failure", "")))

