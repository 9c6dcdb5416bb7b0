"""Compare an edited report with the one genreport generates: what flows back into 文字调整, what cannot.

Paragraphs are aligned by their text (difflib) and, where the text changed, by their key (the gr_ bookmark) or
by similarity. A changed keyed paragraph becomes a 替换 row, a deleted one a 删除 row, an added paragraph a 追加
row after the nearest keyed paragraph above it. Table cells are data: a changed one is reported with the workbook
cell it was printed from. Formatting and edits outside keyed paragraphs are listed as not carried.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Value
from .docread import Content, Paragraph, Table, numeric, normal
from .filters import cell as cell_text
from .overrides import Override, normal_key

REPLACE, APPEND, DELETE = "替换", "追加", "删除"
#: How alike a changed paragraph must stay to its generated one to count as reworded (not deleted + added).
SIMILAR = 0.35
OPENING = 24


@dataclass(frozen=True)
class Edit:
    """One 文字调整 row to write: a new row, or (row set) an update of the existing row at that sheet row."""

    key: str
    mode: str
    text: str
    original: str = ""
    """The paragraph as genreport generated it (the figures check compares against it); "" for an addition."""
    row: int | None = None
    clear: bool = False
    """True when the existing row is to be emptied (the editor deleted the paragraph it added)."""


@dataclass(frozen=True)
class TableEdit:
    """A changed table cell: where it is in the document and the workbook Value it was printed from."""

    table: str
    line: str
    column: str
    was: str
    now: str
    source: Value | None


@dataclass(frozen=True)
class NotCarried:
    """An edit that cannot flow back: kind (format, outside, comment, table-text, tables), where, what."""

    kind: str
    heading: str
    opening: str
    detail: str = ""


@dataclass
class Comparison:
    """Everything found by compare."""

    edits: list[Edit] = field(default_factory=list)
    tables: list[TableEdit] = field(default_factory=list)
    not_carried: list[NotCarried] = field(default_factory=list)


@dataclass
class _Origin:
    """Where a generated paragraph comes from: its key, and the 文字调整 row that wrote it (if any)."""

    key: str | None = None
    row: int | None = None
    appended: bool = False


def compare(generated: Content, edited: Content, overrides: list[Override],
            tables: list[dict[str, Any]]) -> Comparison:
    """Return what the editor changed in edited relative to generated (both read with read_content).

    overrides are the 文字调整 rows already applied to generated; tables the render context's table views.
    """
    result = Comparison()
    old = [p for p in generated.paragraphs if p.norm]
    new = [p for p in edited.paragraphs if p.norm]
    origins = _origins(old, overrides)
    anchor: str | None = None
    for kind, g, e in _script(old, new):
        if kind == "ins":
            _added(result, e, anchor)
            continue
        origin = origins[id(g)]
        anchor = origin.key if origin.key else anchor if origin.appended else None
        if kind == "del":
            _deleted(result, g, origin)
        elif g.norm != e.norm:
            _changed(result, g, e, origin)
        else:
            _formatting(result, g, e)
    for paragraph in edited.comments:
        result.not_carried.append(NotCarried("comment", paragraph.heading, _opening(paragraph.text)))
    _compare_tables(result, generated.tables, edited.tables, tables)
    return result


def _script(old: list[Paragraph], new: list[Paragraph]):
    """Yield ("eq"|"pair", g, e), ("del", g, None), ("ins", None, e) in document order."""
    matcher = difflib.SequenceMatcher(None, [p.norm for p in old], [p.norm for p in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from (("eq", old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2)))
            continue
        i, j = i1, j1
        for gi, ej in _pairs(old, new, i1, i2, j1, j2):
            yield from (("del", old[k], None) for k in range(i, gi))
            yield from (("ins", None, new[k]) for k in range(j, ej))
            yield "pair", old[gi], new[ej]
            i, j = gi + 1, ej + 1
        yield from (("del", old[k], None) for k in range(i, i2))
        yield from (("ins", None, new[k]) for k in range(j, j2))


def _pairs(old, new, i1, i2, j1, j2) -> list[tuple[int, int]]:
    """Return monotonic (old, new) index pairs of a changed stretch: same key first, else similar enough text."""
    pairs: list[tuple[int, int]] = []
    j = j1
    for i in range(i1, i2):
        for k in range(j, j2):
            if old[i].key is not None and old[i].key in new[k].keys or _similar(old[i].norm, new[k].norm):
                pairs.append((i, k))
                j = k + 1
                break
    return pairs


def _similar(a: str, b: str) -> bool:
    """True when b is a rewording of a (the quick upper bounds first: long stretches compare many pairs)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def _origins(old: list[Paragraph], overrides: list[Override]) -> dict[int, _Origin]:
    """Return, per generated paragraph, its 文字调整 key and the row that wrote it (replace or append)."""
    keys = _sheet_keys(old)
    replaced = {normal_key(o.key): o for o in overrides if not o.append and not o.delete}
    appended: dict[str, list[Override]] = {}
    for o in overrides:
        if o.append:
            appended.setdefault(normal_key(o.key), []).append(o)
    origins: dict[int, _Origin] = {}
    pending: list[Override] = []
    current: str | None = None
    for paragraph in old:
        key = keys.get(id(paragraph))
        if key is not None:
            row = replaced.get(key) or replaced.get(paragraph.key or "")
            origins[id(paragraph)] = _Origin(key, _row(row))
            current, pending = key, list(appended.get(key, []) + appended.get(paragraph.key or "", []))
        elif pending and normal(pending[0].text) == paragraph.norm:
            origins[id(paragraph)] = _Origin(current, _row(pending.pop(0)), appended=True)
        else:
            origins[id(paragraph)] = _Origin()
            current, pending = None, []
    return origins


def keyed_texts(content: Content) -> dict[str, str]:
    """Return {文字调整 key: paragraph text} of a document."""
    paragraphs = [p for p in content.paragraphs if p.norm]
    keys = _sheet_keys(paragraphs)
    return {keys[id(p)]: p.text for p in paragraphs if id(p) in keys}


def _sheet_keys(old: list[Paragraph]) -> dict[int, str]:
    """Return the key to write in 文字调整 per keyed paragraph: s1 for a paragraph that occurs once, s5.3.item.3."""
    keyed = [(id(p), p.key, p.key.rpartition(".")) for p in old if p.key]
    bases = [base for _, _, (base, _, number) in keyed if number.isdigit()]
    return {pid: base if number.isdigit() and bases.count(base) == 1 else key
            for pid, key, (base, _, number) in keyed}


def _row(override: Override | None) -> int | None:
    if override is None or not override.cell:
        return None
    return int("".join(c for c in override.cell if c.isdigit()))


def _changed(result: Comparison, g: Paragraph, e: Paragraph, origin: _Origin) -> None:
    if _masked(g.norm) == _masked(e.norm):  # only figures differ: data, for the workbook, never frozen as text
        pairs = [(a, b) for a, b in zip(_FIGURE.findall(g.norm), _FIGURE.findall(e.norm)) if a != b]
        detail = "、".join(f"文档写 {b}、工作簿算出 {a}" for a, b in pairs)
        result.not_carried.append(NotCarried("figures", g.heading, _opening(g.text), detail))
        return
    if origin.key is None:
        result.not_carried.append(NotCarried("outside", g.heading, _opening(g.text), _opening(e.text)))
        return
    mode = APPEND if origin.appended else REPLACE
    result.edits.append(Edit(origin.key, mode, e.text.strip(), "" if origin.appended else g.text, origin.row))
    added = sorted(set(e.formatted()) - set(g.formatted()))
    if added:
        result.not_carried.append(NotCarried("format", e.heading, _opening(e.text), _formats(e, added)))


def _deleted(result: Comparison, g: Paragraph, origin: _Origin) -> None:
    if origin.key is None:
        result.not_carried.append(NotCarried("deleted", g.heading, _opening(g.text)))
    elif origin.appended:
        result.edits.append(Edit(origin.key, APPEND, "", "", origin.row, clear=True))
    else:
        result.edits.append(Edit(origin.key, DELETE, g.text, g.text, origin.row))


def _added(result: Comparison, e: Paragraph, anchor: str | None) -> None:
    if anchor is None:
        result.not_carried.append(NotCarried("added", e.heading, _opening(e.text)))
        return
    result.edits.append(Edit(anchor, APPEND, e.text.strip()))
    if e.formatted():
        result.not_carried.append(NotCarried("format", e.heading, _opening(e.text), _formats(e, list(e.formatted()))))


def _formatting(result: Comparison, g: Paragraph, e: Paragraph) -> None:
    before, after = g.formatted(), e.formatted()
    if before != after:
        names = sorted(set(after) | set(before), key=lambda n: (n not in after, n))
        changed = [n for n in names if before.get(n) != after.get(n)]
        result.not_carried.append(NotCarried("format", e.heading, _opening(e.text), _formats(e, changed, before)))


def _formats(e: Paragraph, names: list[str], before: dict[str, str] | None = None) -> str:
    after = e.formatted()
    return "、".join(f"{n}“{after[n]}”" if n in after else f"{n}“{(before or {}).get(n, '')}”（已去掉）"
                    for n in names)


_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _masked(text: str) -> str:
    return _FIGURE.sub("#", text)


def _opening(text: str) -> str:
    text = text.strip()
    return text if len(text) <= OPENING else text[:OPENING] + "…"


# ---- tables ------------------------------------------------------------------------------------------------------

def _compare_tables(result: Comparison, old: list[Table], new: list[Table], views: list[dict[str, Any]]) -> None:
    if len(old) != len(new):
        result.not_carried.append(NotCarried("tables", "", "", f"{len(old)}→{len(new)}"))
        return
    for g, e in zip(old, new):
        if g.rows == e.rows:
            continue
        view = _view_of(g, views)
        title = view["heading"] if view else g.title
        if len(g.rows) != len(e.rows) or any(len(a) != len(b) for a, b in zip(g.rows, e.rows)):
            result.not_carried.append(NotCarried("table-shape", title, "", ""))
            continue
        _compare_cells(result, g, e, view, title)


def _compare_cells(result: Comparison, g: Table, e: Table, view: dict[str, Any] | None, title: str) -> None:
    sources = view["sources"] if view else []
    header = len(g.rows) - len(sources)
    for r, (before, after) in enumerate(zip(g.rows, e.rows)):
        for c, (was, now) in enumerate(zip(before, after)):
            if normal(was) == normal(now):
                continue
            source = sources[r - header][c] if 0 <= r - header < len(sources) else None
            line, column = _line_label(before), g.label_above(r, c, header)
            if isinstance(source, Value) and source.sheet:
                result.tables.append(TableEdit(title, line, column, was, now, source))
            else:
                result.not_carried.append(NotCarried("table-text", title, line or column, f"{was}→{now}"))


def _view_of(table: Table, views: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the context table printed as table: the one whose body rows are the table's last rows."""
    for view in views:
        rows = [[normal(cell_text(v.value if isinstance(v, Value) else v)) for v in row] for row in view["sources"]]
        if rows and len(rows) <= len(table.rows) and \
                [[normal(c) for c in row] for row in table.rows[len(table.rows) - len(rows):]] == rows:
            return view
    return None


def _line_label(row: list[str]) -> str:
    return next((c.strip() for c in row if c.strip() and not numeric(c)), "")


