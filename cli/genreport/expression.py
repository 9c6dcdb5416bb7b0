"""The one expression language of profiles, below checks and figures.

checks.yaml writes comparisons `a.b.c = x + y - z` (terms: table cells, coded rows, input fields, numbers;
`each:` templates expand them); the spec's `figures:` writes values: such a sum, a name (`fig.general.total`,
`row.total`), a literal ('text', 0, none, true, false) or a call `change(a, b)` whose arguments are values.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # expanding `each` reads a workbook handed in; the language itself sits below the model
    from .model import Workbook

OPERATORS = ("<=", ">=", "!=", "=", "<", ">")
_SPLIT_OP = re.compile(r"\s*(<=|>=|!=|=|<|>)\s*")
_SPLIT_TERMS = re.compile(r"\s*([+-])\s*")
_TERM = re.compile(
    r"""^(?:
      (?P<num>\d+(?:\.\d+)?)
    | (?P<name>(?:fig|row)(?:\.\w+|\[\])*\.\w+)
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
    """One term: a fixed-line cell (line), coded rows by code pattern (row), an input field, a number (const),
    or a figure's name (name: `fig.…` another figure, `row.…` the current row of a list; figures only)."""

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
    if g["name"] is not None:
        return Ref("name", key=g["name"], text=token)
    if g["rtable"] is not None:
        return Ref("row", g["rtable"], g["code"], g["rcol"], text=token)
    if g["table"] is not None:
        return Ref("line", g["table"], g["line"], g["col"], text=token)
    return Ref("field", g["input"], g["field"], text=token)


@dataclass(frozen=True)
class Literal:
    """A constant value of a figure: text in quotes, a number, none, true or false."""

    value: Any


@dataclass(frozen=True)
class Name:
    """A bare id handed to a function: a table or an input list (`empty(t07)`)."""

    id: str


@dataclass(frozen=True)
class Call:
    """`name(arg, …, key=arg)`: a function of the figures language applied to values."""

    name: str
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]
    text: str


Node = Expr | Literal | Name | Call
LITERALS = {"none": None, "true": True, "false": False}
_CALL = re.compile(r"^([a-z_]+)\((.*)\)$", re.S)
_KWARG = re.compile(r"^([a-z_]\w*)\s*=(?!=)\s*(.*)$", re.S)
BARE_ID = re.compile(r"^[a-z]\w*$")


@lru_cache(maxsize=8192)
def parse_value(text: str) -> Node:
    """Return the parsed value of a figure; ValueError names what cannot be read (one Chinese sentence)."""
    s = text.strip()
    call = _CALL.match(s)
    if call and _balanced(call.group(2)):
        args, kwargs = [], []
        for part in _split_args(call.group(2)):
            named = _KWARG.match(part)
            if named:
                kwargs.append((named.group(1), parse_value(named.group(2))))
            elif kwargs:
                raise ValueError(f"“{s}”中带名字的参数（如 fund='…'）应写在最后")
            else:
                args.append(parse_value(part))
        return Call(call.group(1), tuple(args), tuple(kwargs), s)
    if len(s) >= 2 and s[0] in "'\"" and s[-1] == s[0]:
        return Literal(s[1:-1])
    if s in LITERALS:
        return Literal(LITERALS[s])
    if BARE_ID.match(s) and not s.isdigit():
        return Name(s)
    if not s:
        raise ValueError("值为空")
    try:
        expr = parse(s)
    except ValueError:
        raise ValueError(f"“{s}”无法识别（应为单元格、输入项、fig.名称、row.列、数字、'文字' 或 函数(参数)）") from None
    if expr.op is not None:
        raise ValueError(f"“{s}”中不能有比较符 {expr.op}")
    return expr


def _balanced(text: str) -> bool:
    depth, quote = 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "()":
            depth += 1 if char == "(" else -1
            if depth < 0:
                return False
    return depth == 0 and not quote


def _split_args(text: str) -> list[str]:
    """Return the comma-separated arguments of a call (commas inside brackets or quotes do not split)."""
    if not text.strip():
        return []
    parts, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char in ",，" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


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
