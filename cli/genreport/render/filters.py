"""Jinja filters that format the model's Decimals the way the publication prints them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from jinja2 import pass_context

from ..amounts import NumberFormat, format_money, format_pct, format_text_money, quantize
from ..model import Missing


def placeholder(context: Any, value: Any) -> Any:
    """Return value, or for a required input left blank (Missing) the profile's placeholder 【未填写：…】."""
    if not isinstance(value, Missing):
        return value
    conv = context.get("conv")
    pattern = conv.missing_value if conv is not None else "【未填写：{label}】"
    return pattern.replace("{label}", value.label)


def money(value: Decimal | None) -> Any:
    """Return a table amount: 10,394.91, or "" for a blank cell (a Missing input is left to the placeholder)."""
    return value if isinstance(value, Missing) else format_money(value)


@pass_context
def wan(context: Any, value: Decimal | None) -> str:
    """Return an amount in running text as the profile's conventions write it (10,394.91; zero as 0)."""
    if isinstance(value, Missing):
        return placeholder(context, value)
    if isinstance(value, int) and not isinstance(value, bool):  # a literal in the template: (x or 0)|wan
        value = Decimal(value)
    conv = context.get("conv")
    if conv is None:
        return format_text_money(value)
    return format_text_money(value, thousands=conv.text_thousands, zero=conv.text_zero, decimals=conv.text_decimals)


def sign(value: Any, up: str, down: str, flat: str = "") -> str:
    """Return the word the template passes for the value's direction (a Change or a Completion)."""
    return {"up": up, "down": down, "flat": flat}[value.direction]


def pct(value: Decimal | None) -> Any:
    """Return a percentage with 2 decimals and a % sign (52.76%); a Missing input is left to the placeholder."""
    return value if isinstance(value, Missing) else format_pct(value)


def cell(value: Any, number_format: NumberFormat | None = None) -> str:
    """Return a table cell: Decimals as money (or in number_format, e.g. tables.t05.formats[2]), None as blank,
    anything else as text."""
    if isinstance(value, Decimal) or value is None:
        return (number_format or NumberFormat()).format(value)
    return str(value)


def score(value: Decimal | None, places: int | None = None) -> Any:
    """Return a score without trailing zeros (98.45, 100, 90.4), or with places decimals (100.00, 90.40); a
    Missing input is left to the placeholder."""
    if isinstance(value, Missing):
        return value
    if value is None:
        return ""
    if places is not None:
        return f"{quantize(value, Decimal(1).scaleb(-places)):.{places}f}"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def join_names(names: list[str], sep: str = "、") -> str:
    """Return names joined with 、 (a required name left blank, generated with --force, is left out)."""
    return sep.join(str(n) for n in names if n is not None and not isinstance(n, Missing))


def clause(text: str | None) -> Any:
    """Return accountant text without trailing punctuation, so the template can add its own 。."""
    if isinstance(text, Missing):
        return text
    return (text or "").rstrip().rstrip("。；;，,.、 ")


CN_DIGITS = "零一二三四五六七八九"


def cn_num(number: int) -> str:
    """Return 1..99 in Chinese numerals (一, 十, 十一, 二十三) for 一、二、… numbering."""
    tens, ones = divmod(int(number), 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def numbered(number: int, style: str = "{cn}、") -> str:
    """Return the label of item number in a numbering style: {cn} is 一, 二…; {n} is 1, 2… ("（{cn}）" → （三）)."""
    return style.replace("{cn}", cn_num(number)).replace("{n}", str(int(number)))


#: A number typed at the start of a label (一、 （二） (3) 4. 5、), replaced when its lines are numbered in order.
TYPED_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[.、．])\s*")


def renumbered(label: str, number: int, style: str) -> str:
    """Return label with its typed number (if any) replaced by number in style."""
    return numbered(number, style) + TYPED_NUMBER.sub("", label, count=1)


FILTERS = {"sign": sign, "clause": clause, "cn_num": cn_num, "numbered": numbered, "money": money, "wan": wan, "pct": pct, "cell": cell, "score": score, "join_names": join_names}
