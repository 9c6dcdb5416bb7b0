"""Money units: what a spec, a table or an input field is in (元 or 万元), and conversion between them."""

from __future__ import annotations

from decimal import Decimal

from .amounts import quantize

#: The units a spec (`unit:`, `text_unit:`), a table or an input field may name: how many 元 one unit is.
UNITS = {"元": Decimal(1), "万元": Decimal(10000)}
DEFAULT_UNIT = "万元"


def unit_factor(unit: str) -> Decimal:
    """Return how many 元 one unit is (元 1, 万元 10000); ValueError names an unknown unit."""
    try:
        return UNITS[unit]
    except KeyError:
        raise ValueError(f"未知金额单位“{unit}”，可用：{'、'.join(UNITS)}") from None


def convert(value: Decimal, source: str, target: str) -> Decimal:
    """Return value in source unit expressed in target unit, rounded half-up to 2 decimals (元→万元)."""
    return quantize(value * unit_factor(source) / unit_factor(target))
