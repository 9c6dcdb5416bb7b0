"""Find a spec's tables in a publication: by title, then by header, continued across page breaks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..spec import TableSpec, WorkbookSpec
from .document import Document, Grid, Line, is_footer, key

#: What may stand before a table title in its heading: 一、  2025年  表1  (but no sentence).
#: The 目录's leader dots (a 目录 line names a table but is not its heading).
_LEADER = re.compile(r"(\.{3,}|…{2,}|·{3,})")
_HEADING_PREFIX = re.compile(r"^[\w“”（）()、.\-—]{0,16}$")


@dataclass
class Found:
    """One spec table found in the publication: its grids' data rows (header rows dropped), with pages."""

    spec: TableSpec
    title_page: int | None
    header_matched: bool = False
    grids: int = 0
    """How many grids (one per page the table spans) were taken for it: 0 when only its title was seen."""
    rows: list[tuple[list[str | None], int | None]] = field(default_factory=list)


def header_texts(spec: TableSpec) -> set[str]:
    """Return the normalised texts of the spec's header cells (栏次 numbers included)."""
    return {key(cell.text) for row in spec.header for cell in row if key(cell.text)}


def title_of(text: str, spec: WorkbookSpec) -> TableSpec | None:
    """Return the table whose title this line is (the longest title it ends with), None for other lines.

    The title may follow a short prefix (一、, 2025年, 表1) but not a sentence: 情况说明 headings and
    the 目录 (its leader dots are dropped, so it is recognised by the page number after the title) differ.
    """
    line = key(text)
    best = None
    for table in spec.tables:
        title = key(table.title)
        if line.endswith(title) and _HEADING_PREFIX.match(line[: -len(title)]):
            if best is None or len(title) > len(key(best.title)):
                best = table
    return best


def find_tables(document: Document, spec: WorkbookSpec) -> dict[str, Found]:
    """Return the spec's tables found in the document by table id (the first occurrence of each title).

    A grid belongs to the table whose title came last before it; the table ends at the first running text
    after a grid (its note), so later grids (an attachment) are not taken for a continuation.
    """
    found: dict[str, Found] = {}
    current: Found | None = None
    open_for_grids = False
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if isinstance(block, Line):
            if not block.text or is_footer(block.text):
                continue
            table = _heading(block, blocks[index + 1] if index + 1 < len(blocks) else None, spec)
            if table is not None and (table.id not in found or not found[table.id].grids):
                current = found[table.id] = Found(table, block.page)
                open_for_grids = True
            elif current is not None and current.grids:
                open_for_grids = False
            continue
        if current is not None and open_for_grids:
            _take_grid(current, block)
    return found


def _heading(line: Line, after: Line | Grid | None, spec: WorkbookSpec) -> TableSpec | None:
    """Return the table this line is the heading of, also when the heading wraps onto the next line."""
    if _LEADER.search(line.text):
        return None
    table = title_of(line.text, spec)
    if table is None and isinstance(after, Line) and after.page == line.page and not _LEADER.search(after.text):
        table = title_of(line.text + after.text, spec)
    return table


def _take_grid(found: Found, grid: Grid) -> None:
    """Add a grid's data rows to the table (dropping its leading header rows, repeated on every page)."""
    headers = header_texts(found.spec)
    width = found.spec.width
    rows = [row for row in grid.rows if any(cell for cell in row)]
    start = 0
    while start < len(rows) and _is_header(rows[start], headers, numbers=start > 0):
        start += 1
    if start and not found.rows:
        seen = {key(c) for row in rows[:start] for c in row if key(c)}
        found.header_matched = {t for t in headers if not t.isdigit()} <= seen | {"栏次"} and grid.width == width
    if grid.width != width:
        return
    found.grids += 1
    found.rows += [(row, grid.page) for row in rows[start:]]


def _is_header(row: list[str | None], headers: set[str], numbers: bool) -> bool:
    """Return True for a header row: only header texts; a row of column numbers (栏次) only below another."""
    texts = [key(c) for c in row if key(c)]
    return bool(texts) and all(t in headers for t in texts) and (numbers or any(not t.isdigit() for t in texts))
