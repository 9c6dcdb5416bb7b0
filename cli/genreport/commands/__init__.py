"""The genreport command: `genreport WORKBOOK` generates; subcommands init, check, batch, merge, template…"""

from __future__ import annotations

from . import absorb, batch, check, generate, importing, init, keys, merge, profiles, serve, template  # noqa: F401 - each registers its command
from .group import cli, main
from .i18n import localise_placeholders

localise_placeholders(cli)  # every command is registered now: their usage lines say [选项], not [OPTIONS]

__all__ = ["cli", "main"]
