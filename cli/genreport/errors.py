"""The one exception type for "cannot continue": a Chinese sentence for the user, the files it names as fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from .sentence import Fields, literal, render

E = TypeVar("E", bound="GenreportError")


class GenreportError(Exception):
    """A problem that stops the pipeline; str(error) is one Chinese sentence an accountant can act on.

    A sentence that names a user's file is made by GenreportError.of(template, **fields) with the file's path as
    a Path field: str(error) shows the real path (the command line), error.text(names) the presenter's name for
    it (the web page: the name the user uploaded). GenreportError(sentence) is a finished sentence naming no file.
    """

    exit_code = 2
    template: str
    """The sentence as a str.format template (a finished sentence's braces doubled)."""
    fields: Fields
    """The template's fields (name, value), in the order given; file paths are Paths."""

    def __init__(self, sentence: str = "") -> None:
        super().__init__(sentence)
        self.template, self.fields = literal(sentence), ()

    @classmethod
    def of(cls: type[E], template: str, /, **fields: Any) -> E:
        """Return the error whose sentence is template formatted with fields (file paths as Path fields)."""
        values = tuple(fields.items())
        error = cls(render(template, values))
        error.template, error.fields = template, values
        return error

    def text(self, names: Mapping[str, str] | None = None) -> str:
        """Return the sentence, each file path field shown as names maps it (by str(path)), else as given."""
        return render(self.template, self.fields, names)


class SpecError(GenreportError):
    """The workbook spec itself is invalid (a developer or template-author problem)."""


class UnreadableWorkbook(GenreportError):
    """The input file cannot be opened as a workbook."""


class UnreadablePublication(GenreportError):
    """The input file cannot be read as a publication (a PDF or a Word .docx)."""


class OutputError(GenreportError):
    """The output cannot be written where the user asked."""
