"""The version of genreport (kept apart so that any module may name it without importing the package's verbs)."""

__version__ = "0.1.0"
