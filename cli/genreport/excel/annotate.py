"""Write a copy of a workbook with the reported cells highlighted and the messages as comments."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import to_excel

from ..errors import OutputError
from ..atomic import atomic_write
from ..filenames import same_file
from ..issues import ERROR, SEVERITY_LABEL, WARNING, Issue
from ..visible import printable
from .guard import _sheet_names, load_openpyxl

FILLS = {ERROR: PatternFill("solid", fgColor="FF9999"), WARNING: PatternFill("solid", fgColor="FFE699")}


def annotate_workbook(source: str | Path, target: str | Path, issues: Iterable[Issue]) -> list[str]:
    """Write target, a copy of source with each error/warning cell filled and commented.

    Returns the "sheet!cell" references that were marked. source is never modified.
    """
    if same_file(Path(source), Path(target)):
        raise OutputError("批注文件不能与原工作簿同名，请另选输出路径。")
    book = load_openpyxl(Path(source), data_only=False)  # any extension; parser failures become one sentence
    marked: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        if issue.severity in FILLS and issue.sheet in book.sheetnames and _valid(issue.cell):
            ws = book[issue.sheet]
            marked.setdefault((ws.title, _top_left(ws, issue.cell)), []).append(issue)
    for (sheet, ref), found in marked.items():
        cell = book[sheet][ref]
        worst = ERROR if any(i.severity == ERROR for i in found) else WARNING
        cell.fill = FILLS[worst]
        # printable: a control character XML cannot hold shows as \x0b, as genreport check prints it
        text = printable("\n".join(f"【{SEVERITY_LABEL[i.severity]}】{i.message}（{i.code}）" for i in found))
        cell.comment = Comment(text, "genreport", width=360, height=min(60 + 40 * len(found), 400))
    cached = _cached_results(Path(source), book)
    atomic_write(Path(target), lambda tmp: _save_with_results(book, cached, tmp))
    return sorted(f"{sheet}!{ref}" for sheet, ref in marked)


# ---- formulas keep their calculated results ------------------------------------------------
# openpyxl writes a formula cell without its cached value, so a copy would read as "formula without a
# result" everywhere; the results are read from the original and set, as lxml elements, into the saved sheets.

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _cached_results(source: Path, book: Any) -> dict[str, dict[str, tuple[str, str]]]:
    """Return {sheet: {ref: (t attribute, <v> text)}} of every formula cell's saved result in source."""
    formulas = {ws.title: [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
                for ws in book.worksheets}
    if not any(formulas.values()):
        return {}
    values = load_openpyxl(source, data_only=True)
    found: dict[str, dict[str, tuple[str, str]]] = {}
    for title, refs in formulas.items():
        for ref in refs:
            cell = values[title][ref]
            result = _as_xml(cell.value, cell.data_type)
            if result is not None:
                found.setdefault(title, {})[ref] = result
    return found


def _as_xml(value: Any, data_type: str) -> tuple[str, str] | None:
    if value is None:
        return None
    if data_type == "e":
        return "e", str(value)
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)):
        return "n", repr(to_excel(value))
    if isinstance(value, (int, float)):
        return "n", repr(value)
    return "str", str(value)


def _save_with_results(book: Any, cached: dict[str, dict[str, tuple[str, str]]], target: Path) -> None:
    """Save book to target with the cached results put back into its formula cells."""
    if not cached:
        book.save(target)
        return
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as saved, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        parts = _sheet_names(saved)
        for info in saved.infolist():
            data = saved.read(info.filename)
            if parts.get(info.filename) in cached:
                data = _with_results(data, cached[parts[info.filename]])
            out.writestr(info, data)


def _with_results(xml: bytes, results: dict[str, tuple[str, str]]) -> bytes:
    """Return the sheet XML openpyxl saved with each formula cell in results given its <v> and type."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=True))
    for cell in root.iter(f"{_MAIN}c"):
        value = cell.find(f"{_MAIN}v")
        if cell.get("r") not in results or cell.find(f"{_MAIN}f") is None or _has_text(value):
            continue
        kind, text = results[cell.get("r")]
        cell.attrib.pop("t", None)
        if kind != "n":
            cell.set("t", kind)
        if value is None:
            value = etree.SubElement(cell, f"{_MAIN}v")
        value.text = text
    return etree.tostring(root, encoding="ascii", xml_declaration=False)  # as openpyxl wrote it: &#NNNN;


def _has_text(element: Any) -> bool:
    return element is not None and bool((element.text or "").strip())


def _valid(ref: str) -> bool:
    try:
        coordinate_to_tuple(ref)
    except (ValueError, TypeError, AttributeError):
        return False
    return True


def _top_left(ws: object, ref: str) -> str:
    """Return ref, or the top-left cell of the merged range that contains it (only that cell can be styled)."""
    for merged in ws.merged_cells.ranges:  # type: ignore[attr-defined]
        if ref in merged:
            return merged.start_cell.coordinate
    return ref
