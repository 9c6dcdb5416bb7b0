"""The sentence macros that live beside a template (<template>.macros.jinja), made callable from the template."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment

from ..errors import GenreportError

#: A line break and the indentation around it: macro files are written over many lines, sentences are not.
_LINE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")


def load_macros(env: Environment, path: Path | None, context: dict[str, Any]) -> dict[str, Any]:
    """Return the macros defined in the file at path, bound to context (empty when path is None)."""
    if path is None:
        return {}
    if not Path(path).is_file():
        raise GenreportError.of("找不到模板的句式宏文件：{file}", file=Path(path))
    module = env.from_string(macro_source(Path(path).read_text(encoding="utf-8"))).make_module(context)
    return {name: getattr(module, name) for name in dir(module) if not name.startswith("_")}


def macro_source(text: str) -> str:
    """Return macro-file text as Jinja compiles it: line breaks and the indentation after them removed."""
    return _LINE_BREAK.sub("", text)
