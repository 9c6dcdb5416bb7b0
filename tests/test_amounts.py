"""Rounding, parsing and display of amounts and percentages."""

from decimal import Decimal

import pytest

from genreport.amounts import (NotANumber, envelope, format_money, format_pct, format_text_money, parse_amount,
                               quantize, ratio_pct)


@pytest.mark.parametrize(("raw", "expected"), [
    ("0.125", "0.13"), ("2.675", "2.68"), ("0.005", "0.01"), ("-0.125", "-0.13"), ("1.994999", "1.99"),
    ("10394.905", "10394.91"),
])
def test_quantize_rounds_half_up_not_bankers(raw, expected):
    assert quantize(Decimal(raw)) == Decimal(expected)


def test_round_builtin_would_differ():
    assert round(2.675, 2) == 2.67  # the float bug we avoid
    assert quantize(Decimal("2.675")) == Decimal("2.68")


@pytest.mark.parametrize(("raw", "expected"), [
    (None, None), ("", None), ("  ", None), ("-", None), ("—", None), ("－", None), ("/", None),
    (0, Decimal(0)), ("0.00", Decimal("0.00")), (12, Decimal(12)), (0.1, Decimal("0.1")),
("1,234.5", Decimal("1234.5")), ("  12  ", Decimal(12)),
    ("１２３.４５", Decimal("123.45")), ("（1,000.00）", Decimal("-1000.00")), ("\u00a012 345.6", Decimal("12345.6")),
])
def test_parse_amount(raw, expected):
    assert parse_amount(raw) == expected


def test_engine_float_noise_rounds_to_the_typed_cents():
    assert quantize(parse_amount(1107132.3900000001)) == Decimal("1107132.39")
    assert quantize(parse_amount(1107132.3899999997)) == Decimal("1107132.39")


def test_blank_and_zero_are_different():
    assert parse_amount("") is None
    assert parse_amount("0") == 0 and parse_amount("0") is not None


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "12a", True, "1e", float("nan")])
def test_parse_amount_rejects(raw):
    with pytest.raises(NotANumber):
        parse_amount(raw)


@pytest.mark.parametrize(("part", "whole", "expected"), [
    ("3590.27", "6804.64", "52.76"), ("2.10", "2.24", "93.75"), ("0.14", "0.50", "28.00"),
    ("1", "8", "12.50"), ("1", "800", "0.13"), ("200.41", "200.42", "100.00"), ("0", "5", "0.00"),
])
def test_ratio_pct(part, whole, expected):
    assert ratio_pct(Decimal(part), Decimal(whole)) == Decimal(expected)


def test_ratio_pct_zero_whole_is_none():
    assert ratio_pct(Decimal("3.00"), Decimal("0")) is None


def test_display_formats():
    assert format_money(Decimal("10394.91")) == "10,394.91"
    assert format_money(Decimal("0")) == "0.00"
    assert format_money(None) == ""
    assert format_text_money(Decimal("0.00")) == "0"
    assert format_text_money(Decimal("5000")) == "5,000.00"
    assert format_pct(Decimal("100")) == "100.00%"
    assert format_pct(None) == ""


def test_envelope():
    assert envelope(3) == Decimal("0.015")
