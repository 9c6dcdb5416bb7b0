"""Turn the tables and cover of a publication into the plain data of its profile's workbook."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..amounts import NotANumber, parse_amount
from ..profile import Profile
from ..spec import TableSpec
from .document import Document, Line, is_footer, key, page_label
from .tables import Found, find_tables

#: (table id, line id or 科目编码, column id) or (input id, field id) → where the value was read.
Places = dict[tuple[str, ...], str]


@dataclass
class Imported:
    """What was read from a publication: workbook data (write_workbook's shape) and where each value came from."""

    profile: Profile
    data: dict[str, Any] = field(default_factory=dict)
    places: Places = field(default_factory=dict)
    found: dict[str, Found] = field(default_factory=dict)
    document: Document | None = None
    made_up: list[Any] = field(default_factory=list)
    """The clauses the template prints with every input made up (inputs.read_inputs; the audit reuses them)."""

    def finish(self) -> None:
        """Add to the data the note each imported cell gets in the workbook: the page it was read from."""
        _comment(self)

    @property
    def missing_tables(self) -> list[TableSpec]:
        """Return the spec tables the publication does not show (a title in the 目录 alone is not the table)."""
        return [t for t in self.profile.workbook_spec.tables if t.id not in self.found or not self.found[t.id].grids]


def import_document(document: Document, profile: Profile) -> Imported:
    """Return the workbook data of the profile read from document: every table found, and the cover fields."""
    result = Imported(profile, {"forms": {}, "lists": {}, "tables": {}})
    result.found = find_tables(document, profile.workbook_spec)
    for table_id, found in result.found.items():
        result.data["tables"][table_id] = _table_data(found, result.places)
    _cover(document, profile, result)
    return result


def _comment(result: Imported) -> None:
    """Add to the data the note each imported cell gets in the workbook: the page it was read from."""
    tables = result.data["tables"]
    for (owner, *where), page in result.places.items():
        note = f"从公开文本{page}读入。" if page else "从公开文本读入。"
        if owner in tables:
            tables[owner].setdefault("comments", {})[tuple(where)] = note
        else:
            result.data.setdefault("comments", {})[(owner, *where)] = note


def table_score(document: Document, profile: Profile) -> tuple[int, int]:
    """Return (tables whose title and header both match, tables whose title was found): the profile's fit."""
    found = find_tables(document, profile.workbook_spec)
    return sum(f.header_matched for f in found.values()), len(found)


def _amount(text: str | None) -> Decimal | None:
    """Return the amount a table cell prints; blank, a dash and placeholders (XXX, …) stay blank."""
    try:
        return parse_amount(text or None)
    except NotANumber:
        return None


def _table_data(found: Found, places: Places) -> dict[str, Any]:
    reader = {"lines": _lines, "coded": _coded, "econ": _econ, "record": _record}[found.spec.layout]
    data: dict[str, Any] = {"lines": {}, "rows": []}
    reader(found, data, places)
    return data


def _put(data: dict[str, Any], places: Places, table: str, line: str, column: str, text: str | None,
         page: int | None) -> None:
    value = _amount(text)
    if value is None and line in data["lines"] and column in data["lines"][line]:
        return  # a line printed twice (a repeated total): the first value stands
    data["lines"].setdefault(line, {})[column] = value
    places[(table, line, column)] = page_label(page)


def _lines(found: Found, data: dict[str, Any], places: Places) -> None:
    spec = found.spec
    for index, block in enumerate(spec.blocks):
        offset = spec.block_offset(index)
        labels: dict[str, list[Any]] = {}
        for line in block.lines:
            if line.id:
                labels.setdefault(key(line.label), []).append(line)
        by_no = {str(line.no): line for line in block.lines}
        taken: set[str] = set()
        for row, page in found.rows:
            cells = row[offset:offset + len(block.columns)]
            line = _line_of(block, cells, labels, by_no, taken)
            if line is None:
                continue
            taken.add(line.id)
            for column, text in zip(block.columns, cells):
                if column.role == "money":
                    _put(data, places, spec.id, line.id, column.id, text, page)


def _line_of(block: Any, cells: list[str | None], labels: dict[str, list[Any]], by_no: dict[str, Any],
             taken: set[str]) -> Any:
    """Return the spec line a printed row is: by its label (the first not yet read), else by its 行次."""
    label = next((key(c) for c, col in zip(cells, block.columns) if col.role == "label"), "")
    number = next((key(c) for c, col in zip(cells, block.columns) if col.role == "lineno"), "")
    if label:
        candidates = [line for line in labels.get(label, []) if line.id not in taken]
        return candidates[0] if candidates else None
    line = by_no.get(number)
    return line if line is not None and line.id and not line.label and line.id not in taken else None


def _coded(found: Found, data: dict[str, Any], places: Places) -> None:
    spec = found.spec
    columns = spec.print_columns_in_order
    total = key(spec.total_label)
    for row, page in found.rows:
        cells = dict(zip((c.id for c in columns), row))
        code_col = next(c.id for c in columns if c.role == "code")
        name_col = next(c.id for c in columns if c.role == "name")
        code, name = key(cells.get(code_col)), (cells.get(name_col) or "").strip()
        if not code and key(name) == total or code == total:
            for column in spec.money_columns:
                _put(data, places, spec.id, "total", column.id, cells.get(column.id), page)
            continue
        if not code.isdigit():
            continue
        record: dict[str, Any] = {code_col: code, name_col: name}
        for column in spec.money_columns:
            record[column.id] = _amount(cells.get(column.id))
            places[(spec.id, code, column.id)] = page_label(page)
        places[(spec.id, code, code_col)] = places[(spec.id, code, name_col)] = page_label(page)
        data["rows"].append(record)


def _econ(found: Found, data: dict[str, Any], places: Places) -> None:
    spec = found.spec
    labels = {key(t.label): t for t in spec.totals}
    for row, page in found.rows:
        for index in range(len(spec.blocks)):
            offset = spec.block_offset(index)
            code, name, amount = (row[offset:offset + 3] + [None, None, None])[:3]
            if key(code).isdigit():
                data["rows"].append({"code": key(code), "amount": _amount(amount)})
                places[(spec.id, key(code), "amount")] = page_label(page)
            for total in labels.values():
                if total.label_block == index and key(code) == key(total.label):
                    value = row[spec.block_offset(total.value_block) + 2]
                    _put(data, places, spec.id, total.id, "amount", value, page)


def _record(found: Found, data: dict[str, Any], places: Places) -> None:
    spec = found.spec
    if not found.rows:
        return
    row, page = found.rows[0]
    for column, text in zip(spec.print_columns_in_order, row):
        _put(data, places, spec.id, "row", column.id, text, page)


# ---- cover ----------------------------------------------------------------------

_YEAR = re.compile(r"((?:19|20)\d\d)年度?")


def _cover(document: Document, profile: Profile, result: Imported) -> None:
    """Read the department name and the year: from the tables' caption line, else from the cover page."""
    form = result.data["forms"].setdefault("profile", {})
    lines = [b for b in document.blocks if isinstance(b, Line) and b.text and not is_footer(b.text)]
    dept = _caption_dept(lines, profile.conventions.table_caption)
    first_page = [line for line in lines if line.page == lines[0].page] if lines else []
    year_at = next((i for i, line in enumerate(first_page) if _YEAR.search(line.text)), None)
    if dept is None and year_at:
        dept = (first_page[year_at - 1].text, first_page[year_at - 1].page)
    if dept is not None:
        form["dept_name"] = dept[0]
        result.places[("profile", "dept_name")] = page_label(dept[1])
    year = next(((int(m.group(1)), line.page) for line in first_page if (m := _YEAR.search(line.text))), None)
    if year is not None:
        form["year"] = year[0]
        result.places[("profile", "year")] = page_label(year[1])


def _literal(text: str) -> str:
    """Return a regular expression for caption text: {kind} stands for 部门 or 单位, any other {name} for some text."""
    parts = re.split(r"(\{\w+\})", text)
    return "".join("(?:部门|单位)" if part == "{kind}" else ".*?" if re.fullmatch(r"\{\w+\}", part)
                   else re.escape(part) for part in parts)


def _caption_dept(lines: list[Line], pattern: str) -> tuple[str, int | None] | None:
    """Return the department the tables' caption names (the profile's table_caption, e.g. 部门名称：{dept})."""
    if "{dept}" not in pattern:
        return None
    before = key(pattern.split("{dept}")[0])
    after = key(pattern.split("{dept}")[1].split("\t")[0].split("{")[0])
    if not before:
        return None
    expression = re.compile(_literal(before) + r"(.+?)" + (_literal(after) if after else r"(?=单位[:：]|$)"))
    for line in lines:
        match = expression.search(key(line.text))
        if match:
            return match.group(1), line.page
    return None
