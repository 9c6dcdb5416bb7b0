"""OOXML built as lxml elements: text and attribute values are set on elements, so lxml does all the escaping.

The elements are plain lxml ones (faster to make); once added to a python-docx document, python-docx sees them as
its own element classes, and their namespace declarations merge into the document's.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from docx.oxml.ns import nsmap as PREFIXES
from lxml import etree



@lru_cache(maxsize=None)
def qname(name: str) -> str:
    """Return the lxml (Clark) name of "prefix:name" ("w:p", "xml:space"); other names are returned as they are."""
    prefix, colon, local = name.partition(":")
    if not colon or name.startswith("{"):
        return name
    return f"{{{PREFIXES[prefix]}}}{local}"


def declared(*prefixes: str) -> dict[str, str]:
    """Return the namespace map that declares prefixes ("w", "c", …) on an element."""
    return {prefix: PREFIXES[prefix] for prefix in prefixes}


def element(name: str, attrs: dict[str, Any] | None = None, text: str | None = None,
            nsmap: dict[Any, str] | None = None) -> Any:
    """Return a new element name ("w:p") with attributes ({"w:val": 1}; values as text) and text (none when empty)."""
    made = etree.Element(qname(name), _attributes(attrs), nsmap)
    if text:
        made.text = text
    return made


def add(parent: Any, name: str, attrs: dict[str, Any] | None = None, text: str | None = None,
        nsmap: dict[Any, str] | None = None) -> Any:
    """Append to parent and return a new element (see element); its prefixes are those declared above it."""
    made = etree.SubElement(parent, qname(name), _attributes(attrs), nsmap)
    if text:
        made.text = text
    return made


def to_bytes(root: Any) -> bytes:
    """Return root as a standalone UTF-8 XML part, declaration first."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _attributes(attrs: dict[str, Any] | None) -> dict[str, str] | None:
    return {qname(key): str(value) for key, value in attrs.items()} if attrs else None
