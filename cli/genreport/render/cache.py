"""Work done once per template, not once per report: docxtpl's XML preparation and Jinja's compilation.

Both results are keyed by a hash of the text they come from plus the versions that shape them (docxtpl,
Jinja, Python, this file's CACHE_VERSION), so a template an editor changed gets new keys and is prepared and
compiled again; they are kept by contentcache.py (in memory and on disk).
"""

from __future__ import annotations

import marshal
import re
from typing import Any

import docxtpl
import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from .. import contentcache
from ..contentcache import cached

CACHE_VERSION = "2"  # 2: finalize takes the context (placeholders of blank required inputs)


def cache_key(kind: str, text: str, *extra: object) -> str:
    """Return the key of text prepared as kind, with the docxtpl and Jinja versions that shape the result."""
    return contentcache.cache_key(kind, text, CACHE_VERSION, docxtpl.__version__, jinja2.__version__, *extra)


#: A docxtpl column tag ({%tc for … %}, {%tc endfor %}).
_COLUMN_TAG = re.compile(r"\{%-?\s*tc\b")
#: A run text holding a character docxtpl turns into a tab, line, paragraph or page break.
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")


class PreparedTemplate(DocxTemplate):
    """A DocxTemplate whose XML preparation (patch_xml's regexes) runs once per distinct template part."""

    column_tags = False
    """Whether a part of the template has {%tc %} tags (which can change a table's column count)."""

    def patch_xml(self, src_xml: str) -> str:
        self.column_tags = self.column_tags or bool(_COLUMN_TAG.search(src_xml))
        return cached(cache_key("xml", src_xml), lambda: super(PreparedTemplate, self).patch_xml(src_xml),
                      lambda text: text.encode("utf-8"), lambda data: data.decode("utf-8"))

    def fix_tables(self, xml: str) -> Any:
        """Skip docxtpl's column repair (a walk over every table) when no {%tc %} tag could have changed columns."""
        if self.column_tags:
            return super().fix_tables(xml)
        return etree.fromstring(xml, parser=etree.XMLParser(recover=True))  # the tree fix_tables would return

    def resolve_listing(self, xml: str) -> str:
        """Skip docxtpl's three nested regex passes when no run text has a break character to resolve."""
        return super().resolve_listing(xml) if _LISTING.search(xml) else xml


class CachingEnvironment(SandboxedEnvironment):
    """A sandboxed environment that compiles each template text once (docxtpl asks for it at every render)."""

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's own signature
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        options = (type(self).__name__, self.autoescape, self.undefined.__name__)
        key = cache_key("jinja", source, *options)
        code = cached(key, lambda: self.compile(source), marshal.dumps, marshal.loads)
        return self.template_class.from_code(self, code, self.make_globals(None), None)
