"""The one Jinja environment every render uses (sandboxed, autoescaping, strict) and the broken-template error."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, pass_context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..errors import GenreportError
from .filters import FILTERS, placeholder


class TemplateProblem(GenreportError):
    """The Word template is broken (syntax error, unknown variable)."""


@lru_cache(maxsize=1)
def jinja_env() -> SandboxedEnvironment:
    """Return the sandboxed, autoescaping, strict environment every render uses (one per process)."""
    from .cache import CachingEnvironment  # compiled templates cached by content hash (render/cache.py)

    env = CachingEnvironment(autoescape=True, undefined=StrictUndefined, finalize=_printed)
    env.filters.update(FILTERS)
    return env


@pass_context
def _printed(context: Any, value: object) -> object:
    """Return what {{ value }} prints: a blank input (None) prints nothing, never "None"; a required input left
    blank (Missing, generated with --force) prints the profile's placeholder.

    Text is escaped here with its braces as character references: docxtpl turns the template's escape markers
    ({_{ }_} {_% %_}) into braces after rendering, and typed text containing them must print exactly as typed.
    """
    if value is None:
        return ""
    value = placeholder(context, value)
    if isinstance(value, str) and not isinstance(value, Markup) and ("{" in value or "}" in value):
        return Markup(str(escape(value)).replace("{", "&#123;").replace("}", "&#125;"))
    return value
