"""Printing a Report and choosing the exit code."""

from __future__ import annotations

import click

from ..report import Report


def print_report(report: Report, fmt: str = "text", show_info: bool = True) -> None:
    """Print the report as text (grouped by sheet, errors first) or as JSON; control characters escaped."""
    from ..files import printable

    click.echo(printable(report.to_json() if fmt == "json" else report.to_text(show_info=show_info)))


def exit_code(report: Report) -> int:
    """Return 0 for a valid workbook, 1 when it has errors."""
    return 0 if report.valid else 1
