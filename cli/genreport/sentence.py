"""A sentence kept as a str.format template with its fields, rendered when presented with a presenter's file names.

A field that holds a file path is a Path (or a tuple of Paths): it shows as the presenter's names map it (by
str(path)), else as the path itself. An Issue and a GenreportError both render through here, so that the web
page shows the names the user uploaded and never rewrites a finished sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

Fields = tuple[tuple[str, Any], ...]


def render(template: str, fields: Fields, names: Mapping[str, str] | None = None) -> str:
    """Return template formatted with fields, each file path field shown as names maps it, else as given."""
    return template.format(**{name: shown(value, names or {}) for name, value in fields})


def shown(value: Any, names: Mapping[str, str]) -> Any:
    """Return a field's value for the sentence: a Path (or a tuple of Paths, joined by 、) as names shows it."""
    if isinstance(value, Path):
        return names.get(str(value), str(value))
    if isinstance(value, tuple) and value and all(isinstance(v, Path) for v in value):
        return "、".join(names.get(str(v), str(v)) for v in value)
    return value


def literal(sentence: str) -> str:
    """Return a finished sentence as a template that renders to itself (its braces doubled)."""
    return sentence.replace("{", "{{").replace("}", "}}")
