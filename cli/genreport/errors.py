"""The one exception type for "cannot continue": it carries a Chinese sentence for the user."""

from __future__ import annotations


class GenreportError(Exception):
    """A problem that stops the pipeline; str(error) is one Chinese sentence an accountant can act on."""

    exit_code = 2


class SpecError(GenreportError):
    """The workbook spec itself is invalid (a developer or template-author problem)."""


class UnreadableWorkbook(GenreportError):
    """The input file cannot be opened as a workbook."""


class UnreadablePublication(GenreportError):
    """The input file cannot be read as a publication (a PDF or a Word .docx)."""


class OutputError(GenreportError):
    """The output cannot be written where the user asked."""
