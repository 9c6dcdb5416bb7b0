"""Printing a Report."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..api import Report


def print_report(report: Report, fmt: str = "text", show_info: bool = True) -> None:
    """Print the report as text (grouped by sheet, errors first) or as JSON; control characters escaped."""
    from ..visible import printable

    click.echo(printable(report.to_json() if fmt == "json" else report.to_text(show_info=show_info)))
