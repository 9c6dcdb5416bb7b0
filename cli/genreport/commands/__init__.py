"""The genreport command: `genreport WORKBOOK` generates; subcommands init, check, batch, merge, template…"""

from __future__ import annotations

from . import absorb, batch, check, generate, importing, init, keys, merge, profiles, serve, template  # noqa: F401 - each registers its command
from .group import cli, main

__all__ = ["cli", "main"]
