"""Lint a Word template before anyone runs a batch with it: syntax, unknown names and filters, dropped tags.

Each finding is an Issue of the catalogue handed in (codes of group M in checks.yaml), placed by its location
in the template (第3段「…」, 表1第2行第3列「…」); error-level findings make generation refuse the template.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from ..address import Address
from ..issues import Catalogue, Issue
from .environment import jinja_env
from .jinja_messages import chinese, is_unclosed_block, unclosed_opening

_UNKNOWN = object()
_TAG_FORMS = re.compile(r"\{%\s*(p|tr|tc|r)\s")
_RICH = re.compile(r"\{\{\s*(p|r)\s")
#: A tag whose braces do not pair within its paragraph: {{ x }, { x }}, {% x }, {% x %, { x %}.
_MISSING_BRACE = re.compile(r"\{\{[^{}]*\}(?!\})|(?<![{%])\{(?![{%])[^{}]*\}\}|\{%[^%{}]*\}(?!\})|(?<!\{)\{[ \w.|()'\"]*%\}"
                            r"|\{%[^%{}]*%(?!\})")
_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


@dataclass(frozen=True)
class _Unit:
    location: str
    text: str


def lint_template(path: Path, context: dict[str, Any], catalogue: Catalogue,
                  table_ids: list[str] | None = None) -> list[Issue]:
    """Return every problem found in the template at path, checked against a real context.

    table_ids are the spec's tables: every `{{ table('…') }}` placeholder must name one of them.
    """
    from docx import Document

    document = Document(str(path))
    units = list(_iter_units(document))
    findings = [f for u in units for f in _paragraph_findings(u, catalogue)]
    findings += _placeholder_findings(document, units, table_ids or context.get("table_order", []), catalogue)
    findings += _row_findings(Document(str(path)), catalogue)
    env = jinja_env()
    tree, syntax = parse_units(env, units)
    braces = {f.location for f in findings if f.code == "missing-brace"}
    findings += [syntax_issue(catalogue, where, detail) for where, detail in syntax
                 if where not in braces]  # one cause, one finding
    if tree is None:
        return findings
    walker = _Walker(context, set(env.filters), units, catalogue)
    walker.visit_all(tree.body, dict(context))
    return findings + walker.findings


def syntax_issue(catalogue: Catalogue, location: str, detail: str) -> Issue:
    """Return the syntax-error finding at a place in a template (detail: Jinja's message in Chinese)."""
    return catalogue.issue("syntax-error", Address(), location=location, detail=detail)


def parse_units(env: Any, units: list[_Unit]) -> tuple[Any, list[tuple[str, str]]]:
    """Parse the template's text unit by unit; return the tree (None on errors) and each syntax error's
    (location, Chinese description).

    A block left open is reported once, at the paragraph that opens it. Each other broken line is blanked out
    and the text parsed again, so later problems are found too.
    """
    lines = [_jinja_text(u.text) for u in units]
    findings: list[tuple[str, str]] = []
    for _ in range(20):
        try:
            return env.parse("\n".join(lines)), findings
        except TemplateSyntaxError as exc:
            line = exc.lineno
            if is_unclosed_block(exc.message or ""):
                line = (unclosed_opening(lines) or line - 1) + 1
            where = units[line - 1].location if 0 < line <= len(units) else "模板"
            findings.append((where, chinese(exc.message or "")))
            if is_unclosed_block(exc.message or "") or not 0 < line <= len(lines) or not lines[line - 1]:
                return None, findings
            lines[line - 1] = ""
    return None, findings


def render_error_message(path: Path, exc: Exception) -> str:
    """Return the Chinese sentence for a Jinja error met while generating: the paragraph where it starts and what
    is wrong, plus how to see every problem."""
    from docx import Document

    units = list(_iter_units(Document(str(path))))
    _, findings = parse_units(jinja_env(), units)
    message = getattr(exc, "message", None) or str(exc)
    where = findings[0][0] if findings else _mentioning(units, message)
    what = findings[0][1] if findings else chinese(message)
    return (f"Word 模板 {path.name} {where + '：' if where else '有误：'}{what}。"
            f"请运行 genreport template check {path.name} 查看全部问题。")


def _mentioning(units: list[_Unit], message: str) -> str | None:
    """Return the first unit whose tags mention the name quoted in a Jinja message (a filter or variable)."""
    name = re.search(r"'([^']+)'", message)
    if not name:
        return None
    pattern = re.compile(r"\{[{%][^}]*\b" + re.escape(name.group(1)) + r"\b")
    return next((u.location for u in units if pattern.search(u.text)), None)


def _iter_units(document: Any):
    body = document.element.body
    paragraph_no = 0
    table_no = 0
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph_no += 1
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            yield _Unit(f"第{paragraph_no}段「{_snippet(text)}」", text)
        elif tag == "tbl":
            table_no += 1
            yield from _table_units(child, table_no)


def _table_units(table: Any, table_no: int):
    rows = [r for r in table.iterchildren() if r.tag.endswith("}tr")]
    for r, row in enumerate(rows, start=1):
        cells = [c for c in row.iterchildren() if c.tag.endswith("}tc")]
        for c, cell in enumerate(cells, start=1):
            for p in (p for p in cell.iter() if p.tag.endswith("}p")):
                text = "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                yield _Unit(f"表{table_no}第{r}行第{c}列「{_snippet(text)}」", text)


def _snippet(text: str) -> str:
    return text if len(text) <= 24 else text[:24] + "…"


def _jinja_text(text: str) -> str:
    return _RICH.sub("{{ ", _TAG_FORMS.sub("{% ", text))


def _paragraph_findings(unit: _Unit, catalogue: Catalogue) -> list[Issue]:
    text = unit.text
    found = []
    brace = _MISSING_BRACE.search(text)
    if brace:
        found.append(catalogue.issue("missing-brace", Address(), location=unit.location, tag=brace.group(0)))
    elif text.count("{{") != text.count("}}") or text.count("{%") != text.count("%}"):
        found.append(catalogue.issue("split-tag", Address(), location=unit.location))
    if any(q in tag for tag in _TAGS.findall(text) for q in "“”‘’"):
        found.append(catalogue.issue("curly-quote", Address(), location=unit.location))
    match = re.search(r"\{%\s*p\s.*?%\}", text)
    if match and text.replace(match.group(0), "").strip():
        found.append(catalogue.issue("dropped-text", Address(), location=unit.location))
    return found


_PLACEHOLDER = re.compile(r"\{\{\s*(all_tables|table\(\s*['\"]([^'\"]*)['\"]\s*\))\s*\}\}")


def _placeholder_findings(document: Any, units: list[_Unit], table_ids: list[str],
                          catalogue: Catalogue) -> list[Issue]:
    """Table placeholders: alone in their paragraph, naming a table of the spec, with the styles tables need."""
    from .tables import REQUIRED_STYLES

    found, placed = [], False
    for unit in units:
        for match in _PLACEHOLDER.finditer(unit.text):
            placed = True
            if unit.text.strip() != match.group(0):
                found.append(catalogue.issue("placeholder-not-alone", Address(), location=unit.location))
            if match.group(2) is not None and match.group(2) not in table_ids:
                found.append(catalogue.issue("unknown-table", Address(), location=unit.location, name=match.group(2),
                                             hint=_closest(match.group(2), table_ids), tables="、".join(table_ids)))
    names = {style.name for style in document.styles}
    if placed:
        found += [catalogue.issue("missing-style", Address(), location="模板样式", name=name)
                  for name in REQUIRED_STYLES if name not in names]
    return found


def _row_findings(document: Any, catalogue: Catalogue) -> list[Issue]:
    found = []
    for t, table in enumerate(document.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            texts = [c.text for c in row.cells]
            tags = sum(len(re.findall(r"\{%\s*tr\s", x)) for x in dict.fromkeys(texts))
            if tags > 1:
                found.append(catalogue.issue("double-tr", Address(), location=f"表{t}第{r}行"))
            elif tags == 1 and any(x.strip() and "{%" not in x for x in texts):
                found.append(catalogue.issue("dropped-text", Address(), variant="row", location=f"表{t}第{r}行"))
    return found


class _Walker:
    """Walk the template AST resolving names against a sample context, with for/set scoping."""

    def __init__(self, context: dict[str, Any], filters: set[str], units: list[_Unit], catalogue: Catalogue) -> None:
        self.context = context
        self.filters = filters
        self.units = units
        self.catalogue = catalogue
        self.findings: list[Issue] = []

    def add(self, code: str, node: nodes.Node, variant: str = "", **fields: Any) -> None:
        """Record a finding of code at the place node comes from."""
        self.findings.append(self.catalogue.issue(code, Address(), variant=variant, location=self.where(node),
                                                  **fields))

    def where(self, node: nodes.Node) -> str:
        line = getattr(node, "lineno", 0)
        return self.units[line - 1].location if 0 < line <= len(self.units) else "模板"

    def visit_all(self, body: list[nodes.Node], scope: dict[str, Any]) -> None:
        for node in body:
            self.visit(node, scope)

    def visit(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            self._visit_for(node, scope)
        elif isinstance(node, nodes.Assign):
            self.resolve(node.node, scope)
            if isinstance(node.target, nodes.Name):
                scope[node.target.name] = self.resolve(node.node, scope, report=False)
        elif isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)) or _method_call(node):
            self.resolve(node, scope)
        else:
            if isinstance(node, nodes.Filter):
                self._check_filter(node)
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def _visit_for(self, node: nodes.For, scope: dict[str, Any]) -> None:
        sequence = self.resolve(node.iter, scope)
        inner = dict(scope)
        element = _first(sequence)
        targets = [node.target] if isinstance(node.target, nodes.Name) else node.target.find_all(nodes.Name)
        for name in targets:
            inner[name.name] = element
        inner["loop"] = _UNKNOWN
        self.visit_all(node.body, inner)
        self.visit_all(node.else_, scope)

    def _check_filter(self, node: nodes.Filter) -> None:
        if node.name not in self.filters:
            self.add("unknown-filter", node, name=node.name, hint=_closest(node.name, self.filters))

    def resolve(self, node: nodes.Node, scope: dict[str, Any], report: bool = True) -> Any:
        """Return the sample value an expression names (_UNKNOWN when it cannot be known statically)."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if report:
                self.add("unknown-variable", node, name=node.name, hint=_closest(node.name, scope))
            return _UNKNOWN
        if isinstance(node, nodes.Getattr):
            return self._attribute(node, self.resolve(node.node, scope, report), node.attr, report)
        if _method_call(node):
            return self._call(node, scope, report)
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base = self.resolve(node.node, scope, report)
            try:
                return base[node.arg.value] if base is not _UNKNOWN else _UNKNOWN
            except (KeyError, IndexError, TypeError):
                return _UNKNOWN
        self.visit(node, scope) if not isinstance(node, nodes.Getitem) else self.visit(node.node, scope)
        return _UNKNOWN

    def _call(self, node: nodes.Call, scope: dict[str, Any], report: bool) -> Any:
        """Check a method call (fig.overall.items()): the method is meant, so a dict's own is no shadowed key."""
        method = node.node
        base = self.resolve(method.node, scope, report)
        if not (isinstance(base, dict) and hasattr(base, method.attr)):
            self._attribute(method, base, method.attr, report)
        for argument in [*node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs] if report else []:
            if argument is not None:
                self.visit(argument, scope)
        return _UNKNOWN

    def _attribute(self, node: nodes.Getattr, base: Any, attr: str, report: bool) -> Any:
        if base is _UNKNOWN or base is None:
            return _UNKNOWN
        if isinstance(base, dict):
            if hasattr(base, attr) and report:
                self.add("method-shadows-key", node, name=attr)
                return _UNKNOWN
            if attr in base:
                return base[attr]
            names = set(base)
        elif hasattr(base, attr):
            return getattr(base, attr)
        else:
            names = {n for n in dir(base) if not n.startswith("_")}
        if report:
            self.add("unknown-variable", node, variant="field", placeholder=_placeholder(node), name=attr,
                     hint=_closest(attr, names))
        return _UNKNOWN


def _method_call(node: nodes.Node) -> bool:
    """Return True for a call of something's attribute (x.items(), fig.overall.get("total"))."""
    return isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr)


def _placeholder(node: nodes.Getattr) -> str:
    """Return "占位符“fig.overall.totl”中" for a dotted name, empty when the expression is not one."""
    parts = [node.attr]
    base = node.node
    while isinstance(base, nodes.Getattr):
        parts.append(base.attr)
        base = base.node
    return f"占位符“{'.'.join([base.name, *reversed(parts)])}”中" if isinstance(base, nodes.Name) else ""


def _first(sequence: Any) -> Any:
    if isinstance(sequence, (list, tuple)) and sequence:
        return sequence[0]
    if isinstance(sequence, dict) and sequence:
        return next(iter(sequence.values()))
    return _UNKNOWN


def _closest(name: str, candidates: Any) -> str:
    match = difflib.get_close_matches(name, [str(c) for c in candidates], n=1, cutoff=0.5)
    return f"，是否应为“{match[0]}”？" if match else ""
