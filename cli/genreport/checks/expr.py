"""The small expression language of checks.yaml: parse `a.b.c = x + y - z` and expand `each:` templates."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..model import Workbook

OPERATORS = ("<=", ">=", "!=", "=", "<", ">")
_SPLIT_OP = re.compile(r"\s*(<=|>=|!=|=|<|>)\s*")
_SPLIT_TERMS = re.compile(r"\s*([+-])\s*")
_TERM = re.compile(
    r"""^(?:
      (?P<num>\d+(?:\.\d+)?)
    | (?P<rtable>[a-z]\w*)\[(?P<code>[\d*?]+)\]\.(?P<rcol>\w+)
    | (?P<table>[a-z]\w*)\.(?P<line>[\w*?]+)\.(?P<col>\w+)
    | (?P<input>[a-z]\w*)\.(?P<field>\w+)
    )$""",
    re.X,
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_SOURCE = re.compile(r"^codes\((\w+)\)$")


@dataclass(frozen=True)
class Ref:
    """One term: a fixed-line cell (line), coded rows by code pattern (row), an input field, or a number."""

    kind: str
    owner: str = ""
    key: str = ""
    column: str = ""
    number: Decimal | None = None
    text: str = ""


@dataclass(frozen=True)
class Expr:
    """lhs OP rhs, each side a signed list of terms; op is None for a bare reference (presence test)."""

    lhs: tuple[tuple[int, Ref], ...]
    op: str | None = None
    rhs: tuple[tuple[int, Ref], ...] = ()


@lru_cache(maxsize=8192)
def parse(text: str) -> Expr:
    """Return the parsed expression; ValueError names the term that cannot be read."""
    parts = _SPLIT_OP.split(text.strip())
    if len(parts) == 1:
        return Expr(_side(parts[0], text))
    if len(parts) != 3:
        raise ValueError(f"校验表达式只能有一个比较符：{text}")
    return Expr(_side(parts[0], text), parts[1], _side(parts[2], text))


def _side(text: str, whole: str) -> tuple[tuple[int, Ref], ...]:
    tokens = _SPLIT_TERMS.split(text.strip())
    terms, sign = [], 1
    if tokens and tokens[0] == "":
        tokens = tokens[1:]
    for token in tokens:
        if token in ("+", "-"):
            sign = -1 if token == "-" else 1
            continue
        terms.append((sign, _ref(token, whole)))
        sign = 1
    return tuple(terms)


def _ref(token: str, whole: str) -> Ref:
    match = _TERM.match(token)
    if not match:
        raise ValueError(f"校验表达式中“{token}”无法识别：{whole}")
    g = match.groupdict()
    if g["num"] is not None:
        return Ref("const", number=Decimal(g["num"]), text=token)
    if g["rtable"] is not None:
        return Ref("row", g["rtable"], g["code"], g["rcol"], text=token)
    if g["table"] is not None:
        return Ref("line", g["table"], g["line"], g["col"], text=token)
    return Ref("field", g["input"], g["field"], text=token)


def expand(template: str, each: dict[str, Any] | None, workbook: Workbook) -> list[str]:
    """Return the expressions of a rule: template with every combination of its `each:` values."""
    if not each:
        return [template]
    names = list(each)
    choices = [_choices(each[name], workbook) for name in names]
    result = []
    for combo in itertools.product(*choices):
        values = dict(zip(names, combo))
        result.append(_PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template))
    return result


def _choices(raw: Any, workbook: Workbook) -> list[str]:
    if isinstance(raw, list):
        return [str(item) for item in raw]
    match = _SOURCE.match(str(raw))
    if not match:
        raise ValueError(f"each 的取值应为列表或 codes(表)：{raw}")
    return table_codes(workbook, match.group(1))


def table_codes(workbook: Workbook, table_id: str) -> list[str]:
    """Return the 科目编码 of a table: its coded rows, or the codes marked on its fixed lines."""
    table = workbook.tables.get(table_id)
    if table is None:
        return []
    if table.spec.layout == "lines":
        return [line.code for block in table.spec.blocks for line in block.lines if line.code]
    return [row.code for row in table.rows]
