"""How text is shown to a person: invisible characters made visible, and its width in a fixed-width font."""

from __future__ import annotations

import unicodedata


def printable(text: str) -> str:
    """Return text safe to show on a terminal or to write into a cell.

    Control, bidi, zero-width and other invisible characters become visible escapes (\\x1b, \\u202e);
    a file name whose bytes are not UTF-8 (GBK from Windows) is decoded as GB18030. Newlines and tabs stay.
    """
    if text.isprintable():
        return text
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeDecodeError as exc:
        text = exc.object.decode("gb18030", "backslashreplace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(_escape(ch) if ch not in "\n\t" and unicodedata.category(ch) in _INVISIBLE else ch
                   for ch in text)


_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display_width(value: object) -> int:
    """Return how many columns value takes in a fixed-width font (CJK characters count 2)."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
