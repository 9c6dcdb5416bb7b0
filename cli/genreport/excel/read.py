"""Read a filled workbook into the model; reading problems become issues."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..address import Address, column_letters
from ..catalogue import catalogue_for
from ..tablecells import column_label
from ..errors import UnreadableWorkbook
from ..issues import Issue
from ..model import BLANK, Row, Table, Value, Workbook
from ..plausible import blank_table
from ..spec import Block, Field, InputSpec, Line, TableSpec, WorkbookSpec, header_grid
from .cells import CellReader, show
from .guard import MAX_SHEET_ROWS, open_workbook


@lru_cache(maxsize=8192, typed=True)
def norm(text: Any) -> str:
    """Return a label normalised for matching: NFKC, no spaces of any kind (cell values are hashable)."""
    if text is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


class _Reader(CellReader):
    """Reads one workbook; collects issues instead of raising on bad cells or sheets."""

    def __init__(self, path: Path, spec: WorkbookSpec, book: Any = None) -> None:
        super().__init__(path, book if book is not None else open_workbook(path), catalogue_for(spec))
        self.spec = spec
        self.standard = {norm(t.sheet) for t in spec.tables} | {norm(i.sheet) for i in spec.inputs}

    def sheet(self, name: str, title: str = "") -> Any | None:
        """Return the worksheet called name (ignoring spaces and full-width forms); None with an issue when absent."""
        by_norm = {norm(s): s for s in self.book.sheetnames}
        if norm(name) not in by_norm:
            self.add("missing-sheet", Address(name), name=name, guess=self._guess(name, title))
            return None
        ws = self.book[by_norm[norm(name)]]
        if ws.max_row > MAX_SHEET_ROWS:
            raise UnreadableWorkbook(f"工作表“{ws.title}”有 {ws.max_row:,} 行，超过 {MAX_SHEET_ROWS:,} 行的上限，"
                                     "请删除多余的行（选中多余的行→右键→删除）后再试。")
        return ws

    def _guess(self, name: str, title: str) -> str:
        """Return the second half of a missing-sheet message: the renamed sheet it probably is, or how to fix."""
        others = [s for s in self.book.sheetnames if norm(s) not in self.standard]
        titled = [s for s in others if title and _has_title(self.book[s], title)]
        from difflib import get_close_matches

        close = titled or get_close_matches(name, others, n=1, cutoff=0.4)
        if close:
            return f"工作表“{close[0]}”可能就是它，请把它改名为“{name}”。"
        return "请从 genreport init 生成的空白工作簿中把这张表复制过来（工作表名称不能改）。"


def _has_title(ws: Any, title: str) -> bool:
    """Return True when one of the first rows of ws carries the table title."""
    wanted = norm(title)
    return any(wanted in norm(ws.cell(r, c).value) for r in range(1, 4) for c in range(1, 4))


def read_workbook(path: str | Path, spec: WorkbookSpec, book: Any = None) -> tuple[Workbook, list[Issue]]:
    """Return the workbook at path (book: already opened, excel.open_book) as a model plus the problems met reading it.

    Raises UnreadableWorkbook when the file cannot be opened as an .xlsx workbook at all.
    """
    reader = _Reader(Path(path), spec, book)
    workbook = Workbook(spec=spec, source=str(path))
    for table_spec in spec.tables:
        if table_spec.optional and norm(table_spec.sheet) not in {norm(s) for s in reader.book.sheetnames}:
            workbook.tables[table_spec.id] = blank_table(table_spec)
            continue
        ws = reader.sheet(table_spec.sheet, table_spec.title)
        if ws is not None:
            workbook.tables[table_spec.id] = _read_table(reader, ws, table_spec)
            _note_hidden(reader, ws, table_spec.width)
    for input_spec in spec.inputs:
        if input_spec.optional and input_spec.sheet not in reader.book.sheetnames:
            continue
        ws = reader.sheet(input_spec.sheet, input_spec.title)
        if ws is None:
            continue
        _note_hidden(reader, ws, 3 if input_spec.layout == "form" else len(input_spec.fields))
        if input_spec.layout == "form":
            workbook.forms[input_spec.id] = _read_form(reader, ws, input_spec)
        else:
            workbook.lists[input_spec.id] = _read_list(reader, ws, input_spec)
    return workbook, reader.noted_issues()


# ---- tables -------------------------------------------------------------------


def _find_header(reader: _Reader, ws: Any, spec: TableSpec) -> int | None:
    """Return the sheet row where the table header starts, None (with an issue) when not found in column A."""
    label = spec.header[0][0].text
    names = _names(label, spec.header[0][0].formerly)
    rows = range(1, min(ws.max_row, 30) + 1)
    for row in rows:
        if norm(ws.cell(row, 1).value) in names:
            return row
    shifted = next(((r, c) for c in range(2, 11) for r in rows if norm(ws.cell(r, c).value) in names), None)
    if shifted:
        reader.add("header-shifted", Address(ws.title, *shifted), label=label, extra=shifted[1] - 1)
    else:
        reader.add("header-not-found", Address(ws.title, 1, 1), variant="table", label=label)
    return None


def _check_header(reader: _Reader, ws: Any, spec: TableSpec, top: int) -> None:
    for r, c, cell in header_grid(spec.header, spec.width):
        found = ws.cell(top + r, c + 1).value
        if cell.text and norm(found) not in _names(cell.text, cell.formerly):
            reader.add("header-mismatch", Address(ws.title, top + r, c + 1), expected=cell.text, actual=show(found))


def _names(text: str, formerly: tuple[str, ...]) -> tuple[str, ...]:
    """Return the normalised texts a header cell or field label is read by: its own first, then its former ones."""
    return tuple(dict.fromkeys(norm(t) for t in (text, *formerly)))


def _note_hidden(reader: _Reader, ws: Any, width: int) -> None:
    """Add one info issue when rows holding data or columns of the table are hidden (they are still read)."""
    rows = [r for r in ws.hidden_rows if r <= ws.max_row
            and any(ws.cell(r, c).value not in (None, "") for c in range(1, width + 1))]
    cols = sorted({c for low, high in ws.hidden_columns for c in range(low, min(high, width) + 1)})
    if rows or cols:
        hidden = "、".join([f"第{r}行" for r in sorted(rows)[:10]] + [f"{column_letters(c)}列" for c in cols])
        reader.add("hidden-cells", Address(ws.title), hidden=hidden)


def _read_table(reader: _Reader, ws: Any, spec: TableSpec) -> Table:
    table = Table(spec=spec)
    reader.unit = spec.unit
    top = _find_header(reader, ws, spec)
    if top is None:
        return table
    _check_header(reader, ws, spec, top)
    first_data = top + len(spec.header)
    read = {"lines": _read_lines, "coded": _read_coded, "econ": _read_econ, "record": _read_record}[spec.layout]
    read(reader, ws, spec, table, first_data)
    return table


def _read_lines(reader: _Reader, ws: Any, spec: TableSpec, table: Table, first: int) -> None:
    for index, block in enumerate(spec.blocks):
        offset = spec.block_offset(index)
        wanted: dict[str, list[Line]] = {}
        for line in block.lines:
            if line.id:
                wanted.setdefault(norm(line.label), []).append(line)
        seen: dict[str, int] = {}
        for row in range(first, ws.max_row + 1):
            line = _next_line(wanted.get(norm(ws.cell(row, offset + 1).value)), seen)
            if line is None:
                continue
            if line.id in seen:
                reader.add("duplicate-line", Address(ws.title, row, offset + 1), label=line.label, first=seen[line.id])
                continue
            seen[line.id] = row
            table.lines[line.id] = _read_block_cells(reader, ws, block, offset, row, line.label)
        for line in block.lines:
            if line.id and line.id not in seen:
                reader.add("missing-line", Address(ws.title), variant="line", label=line.label)


def _next_line(candidates: list[Line] | None, seen: dict[str, int]) -> Line | None:
    """Return the first line with this label not read yet (a form may repeat a label, e.g. 一、…财政拨款)."""
    if not candidates:
        return None
    return next((line for line in candidates if line.id not in seen), candidates[-1])


def _read_block_cells(reader: _Reader, ws: Any, block: Block, offset: int, row: int, label: str) -> dict[str, Value]:
    return {
        column.id: reader.money(ws, row, offset + i + 1, f"“{label}”")
        for i, column in enumerate(block.columns)
        if column.role == "money"
    }


def _read_coded(reader: _Reader, ws: Any, spec: TableSpec, table: Table, first: int) -> None:
    col = {c.id: i + 1 for i, c in enumerate(spec.columns)}
    codes: dict[str, int] = {}
    for row in range(first, ws.max_row + 1):
        code = _code(reader.text(ws, row, col["code"]))
        if code.startswith(("注", "说明")):
            break
        name = reader.text(ws, row, col["name"]) or ""
        if not code:
            if norm(spec.total_label) in norm(name):
                table.lines["total"] = {c.id: reader.money(ws, row, col[c.id], f"{spec.total_label}行")
                                        for c in spec.money_columns}
            elif _has_values(ws, row, spec):
                reader.add("row-without-code", Address(ws.title, row, col["code"]))
            continue
        if not code.isdigit() or len(code) not in (3, 5, 7):
            reader.add("code-format", Address(ws.title, row, col["code"]), actual=code)
            continue
        if code in codes:
            reader.add("duplicate-code", Address(ws.title, row, col["code"]), variant="coded", first=codes[code],
                       actual=code)
            continue
        codes[code] = row
        label = f"{code} {name}"
        cells = {c.id: reader.money(ws, row, col[c.id], label) for c in spec.money_columns}
        table.rows.append(Row(code=code, name=name, cells=cells, sheet_row=row))
    table.rows.sort(key=lambda r: (r.code[:3], r.code[:5], r.code))


def _has_values(ws: Any, row: int, spec: TableSpec) -> bool:
    return any(ws.cell(row, i + 1).value not in (None, "") for i, c in enumerate(spec.columns)
               if c.role == "money")


def _code(text: str | None) -> str:
    """Return a 科目编码 without spaces; "2010301.0" (a number exported as text) becomes "2010301"."""
    code = norm(text) if text else ""
    return re.sub(r"^(\d+)\.0+$", r"\1", code)


def _read_econ(reader: _Reader, ws: Any, spec: TableSpec, table: Table, first: int) -> None:
    for index, block in enumerate(spec.blocks):
        offset = spec.block_offset(index)
        found: dict[str, int] = {}
        for row in range(first, ws.max_row + 1):
            code = _code(reader.text(ws, row, offset + 1))
            if code.isdigit() and code in found:
                reader.add("duplicate-code", Address(ws.title, row, offset + 1), variant="econ", first=found[code],
                           actual=code)
            elif code.isdigit():
                found[code] = row
        for code, name in block.codes:
            row = found.get(code)
            if row is None:
                reader.add("missing-line", Address(ws.title), variant="econ", code=code, name=name)
                continue
            cell = reader.money(ws, row, offset + 3, f"{code} {name}")
            table.rows.append(Row(code=code, name=name, cells={"amount": cell}, sheet_row=row))
        extra = set(found) - {c for c, _ in block.codes}
        for code in sorted(extra):
            reader.add("unknown-code", Address(ws.title, found[code], offset + 1), code=code)
    for total in spec.totals:
        _read_econ_total(reader, ws, spec, table, first, total)


def _read_econ_total(reader: _Reader, ws: Any, spec: TableSpec, table: Table, first: int, total: Any) -> None:
    label_col = spec.block_offset(total.label_block) + 1
    value_col = spec.block_offset(total.value_block) + 3
    for row in range(first, ws.max_row + 1):
        if norm(ws.cell(row, label_col).value) == norm(total.label):
            table.lines[total.id] = {"amount": reader.money(ws, row, value_col, total.label)}
            return
    reader.add("missing-line", Address(ws.title), variant="total", label=total.label)


def _read_record(reader: _Reader, ws: Any, spec: TableSpec, table: Table, first: int) -> None:
    table.lines["row"] = {c.id: reader.money(ws, first, i + 1, f"“{column_label(spec, c.id)}”")
                          for i, c in enumerate(spec.columns)}


# ---- input sheets ---------------------------------------------------------------


def _read_form(reader: _Reader, ws: Any, spec: InputSpec) -> dict[str, Value]:
    rows = {norm(ws.cell(r, 1).value): r for r in range(1, ws.max_row + 1)}
    values: dict[str, Value] = {}
    for field in spec.fields:
        row = next((rows[n] for n in _names(field.label, field.formerly) if n in rows), None)
        if row is None and not field.required:
            reader.add("optional-field-missing", Address(ws.title), label=field.label)
            values[field.id] = Value(None, ws.title, "")
            continue
        if row is None:
            reader.add("missing-field", Address(ws.title), label=field.label)
            continue
        values[field.id] = _read_field(reader, ws, row, 2, field)
    return values


def _read_list(reader: _Reader, ws: Any, spec: InputSpec) -> list[dict[str, Value]]:
    headers = {n for f in spec.fields for n in _names(f.label, f.formerly)}
    top = next((r for r in range(1, min(ws.max_row, 20) + 1)
                if any(norm(ws.cell(r, c).value) in headers for c in range(1, len(headers) + 10))), None)
    if top is None:
        labels = "、".join(f.label for f in spec.fields[:3])
        reader.add("header-not-found", Address(ws.title, 1, 1), variant="list", labels=labels)
        return []
    columns = {norm(ws.cell(top, c).value): c for c in range(1, ws.max_column + 1)}
    records = []
    for row in range(top + 1, ws.max_row + 1):
        if all(ws.cell(row, c).value in (None, "") for c in columns.values()):
            continue
        record = {}
        for field in spec.fields:
            col = _column_of(columns, field)
            if col is None:
                continue
            record[field.id] = _read_field(reader, ws, row, col, field)
        records.append(record)
    for field in spec.fields:
        if field.required and _column_of(columns, field) is None:
            reader.add("missing-column", Address(ws.title, top, 1), label=field.label)
    return records


def _column_of(columns: dict[str, int], field: Field) -> int | None:
    """Return the column headed by the field's label or a former one, None when the sheet has neither."""
    return next((columns[n] for n in _names(field.label, field.formerly) if n in columns), None)


def _read_field(reader: _Reader, ws: Any, row: int, col: int, field: Field) -> Value:
    at = Address(ws.title, row, col)
    label = f"“{field.label}”"
    if field.type == "money":
        value = reader.money(ws, row, col, label, field.unit)
    elif field.type in ("count", "year"):
        value = reader.integer(ws, row, col, label, year=field.type == "year")
    elif field.type == "paragraphs":
        text = reader.text(ws, row, col, data=True)
        paragraphs = [p.strip() for p in text.splitlines() if p.strip()] if text else None
        value = reader.valued(paragraphs or None, at)
    else:
        value = reader.valued(reader.text(ws, row, col, data=True), at)
        if field.type == "choice":
            value = _checked_choice(reader, value, field)
    if value.blank and field.required and not reader.rejected(at):
        reader.add("required-missing", at, label=label, hint=field.hint.removesuffix("。"))
    return value


def _checked_choice(reader: _Reader, value: Value, field: Field) -> Value:
    if value.blank:
        return Value(field.default, value.sheet, value.cell)
    if value.value not in field.options:
        options = "、".join(field.options)
        reader.add("bad-choice", value.at, label=field.label, options=options, actual=show(value.value))
        return Value(field.default, value.sheet, value.cell)
    return value


__all__ = ["read_workbook", "norm", "BLANK"]
