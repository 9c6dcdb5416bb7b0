"""Write the standard workbook from the spec: blank for `genreport init`, or filled from plain data."""

from __future__ import annotations

from copy import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook as XlWorkbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..atomic import atomic_write
from .text import put_text
from ..spec import Field, InputSpec, TableSpec, WorkbookSpec, header_grid

MONEY_FORMAT = "#,##0.00"
INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
PREFILLED_FILL = PatternFill("solid", fgColor="E2EFDA")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
BLANK_CODED_ROWS = 40
BLANK_LIST_ROWS = 30


def write_workbook(path: str | Path, spec: WorkbookSpec, data: dict[str, Any] | None = None,
                   prefilled: set[tuple[str, str]] | None = None,
                   choices: dict[tuple[str, str], list[str]] | None = None) -> Path:
    """Write the standard workbook to path (atomically) and return path.

    data has the plain shape {"forms": {input: {field: value}}, "lists": {input: [record]},
    "tables": {table: {"lines": {line: {column: Decimal}}, "rows": [{"code", "name", column…}]}}};
    None writes a blank workbook. prefilled holds (input id, field id) pairs to mark in green. choices gives
    (input id, field id) a dropdown of suggested values that still accepts other text (the 报告样式 titles).
    Optional notes on cells: a table's data may hold "comments" {(line id or 科目编码, column): text}, and
    data "comments" {(input id, field id): text} (an imported publication names the page of each value).
    """
    book = build_workbook(spec, data, prefilled, choices)
    return atomic_write(Path(path), lambda tmp: book.save(tmp))


def build_workbook(spec: WorkbookSpec, data: dict[str, Any] | None = None,
                   prefilled: set[tuple[str, str]] | None = None,
                   choices: dict[tuple[str, str], list[str]] | None = None,
                   placed: dict[tuple[str, Any, str], Any] | None = None) -> XlWorkbook:
    """Return the workbook write_workbook saves (see there), not yet saved.

    placed, when given, receives where each value went: (table, line or 科目编码, column) and
    (input, None for a form or the list row index, field) → the openpyxl cell.
    """
    data = data or {}
    placed = {} if placed is None else placed
    book = XlWorkbook()
    book.remove(book.active)
    dept = str(data.get("forms", {}).get("profile", {}).get("dept_name") or "")
    inputs = list(spec.inputs)
    _write_input(book, inputs[0], data, prefilled or set(), choices or {}, placed)
    for table in spec.tables:
        _write_table(book, table, data.get("tables", {}).get(table.id, {}), dept, table.unit, placed)
    for item in inputs[1:]:
        _write_input(book, item, data, prefilled or set(), choices or {}, placed)
    return book


# ---- tables -------------------------------------------------------------------


def _write_table(book: XlWorkbook, spec: TableSpec, data: dict[str, Any], dept: str, unit: str,
                 placed: dict[tuple[str, Any, str], Any]) -> None:
    ws = book.create_sheet(spec.sheet)
    width = spec.width
    _title_rows(ws, spec, width, dept, unit)
    top = 4
    for r, c, cell in header_grid(spec.header, width):
        target = ws.cell(row=top + r, column=c + 1, value=cell.text)
        if cell.colspan > 1 or cell.rowspan > 1:
            ws.merge_cells(start_row=top + r, start_column=c + 1,
                           end_row=top + r + cell.rowspan - 1, end_column=c + cell.colspan)
        target.alignment = CENTER
    for row in range(top, top + len(spec.header)):
        for col in range(1, width + 1):
            ws.cell(row=row, column=col).fill = HEADER_FILL
            ws.cell(row=row, column=col).border = BORDER
            ws.cell(row=row, column=col).font = Font(bold=True)
    first = top + len(spec.header)
    writer = {"lines": _lines_body, "coded": _coded_body, "econ": _econ_body, "record": _record_body}[spec.layout]
    last = writer(ws, spec, data, first, placed)
    ws.cell(row=last + 2, column=1, value=spec.note).alignment = Alignment(wrap_text=False)
    _widths(ws, spec)
    ws.freeze_panes = ws.cell(row=first, column=1)
    if spec.landscape:
        ws.page_setup.orientation = "landscape"


def _title_rows(ws: Any, spec: TableSpec, width: int, dept: str, unit: str) -> None:
    ws.cell(row=1, column=1, value=spec.title).font = Font(bold=True, size=16)
    ws.cell(row=1, column=1).alignment = CENTER
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=2, column=width, value=spec.number).alignment = Alignment(horizontal="right")
    ws.cell(row=3, column=1, value=f"部门名称：{dept}")
    ws.cell(row=3, column=width, value=f"单位：{unit}").alignment = Alignment(horizontal="right")


def _note(ws: Any, row: int, col: int, comments: dict[tuple[str, str], str], *where: str) -> None:
    """Put the comment the data gives for this value ((line, column) or (input, field)) on the cell, if any."""
    text = comments.get(tuple(where)) if comments else None  # type: ignore[call-overload]
    if text:
        ws.cell(row=row, column=col).comment = Comment(text, "genreport")


def _money_cell(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col, value=_excel_value(value))
    cell.number_format = MONEY_FORMAT
    cell.fill = INPUT_FILL
    cell.border = BORDER
    return cell


def _text_cell(ws: Any, row: int, col: int, value: Any) -> None:
    cell = _put(ws, row, col, value)
    cell.border = BORDER


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Set a cell; text stays text (never a formula), a formula-like start gets Excel's quote prefix."""
    return put_text(ws.cell(row=row, column=col), value)



def _lines_body(ws: Any, spec: TableSpec, data: dict[str, Any], first: int, placed: dict) -> int:
    lines = data.get("lines", {})
    depth = max(len(b.lines) for b in spec.blocks)
    for index, block in enumerate(spec.blocks):
        offset = spec.block_offset(index)
        for i, line in enumerate(block.lines):
            row = first + i
            for j, column in enumerate(block.columns):
                col = offset + j + 1
                if column.role == "label":
                    _text_cell(ws, row, col, line.label or None)
                elif column.role == "lineno":
                    _text_cell(ws, row, col, line.no)
                    ws.cell(row=row, column=col).alignment = CENTER
                elif line.id:
                    placed[spec.id, line.id, column.id] = _money_cell(ws, row, col,
                                                                      lines.get(line.id, {}).get(column.id))
                    _note(ws, row, col, data.get("comments"), line.id, column.id)
                else:
                    _text_cell(ws, row, col, None)
    return first + depth - 1


def _coded_body(ws: Any, spec: TableSpec, data: dict[str, Any], first: int, placed: dict) -> int:
    rows = [{"code": None, "name": spec.total_label, **data.get("lines", {}).get("total", {})}]
    rows += data.get("rows", [])
    count = max(len(rows), BLANK_CODED_ROWS if not data.get("rows") else len(rows))
    for i in range(count):
        record = rows[i] if i < len(rows) else {}
        for j, column in enumerate(spec.columns):
            col = j + 1
            if column.role == "money":
                cell = _money_cell(ws, first + i, col, record.get(column.id))
                if i < len(rows):
                    placed[spec.id, record.get("code") or "total", column.id] = cell
                _note(ws, first + i, col, data.get("comments"), record.get("code") or ("total" if i == 0 else ""),
                      column.id)
            else:
                _text_cell(ws, first + i, col, record.get(column.id))
                _note(ws, first + i, col, data.get("comments"), record.get("code") or "", column.id)
                if i > 0:
                    ws.cell(row=first + i, column=col).fill = INPUT_FILL
                if column.role == "code":
                    ws.cell(row=first + i, column=col).number_format = "@"
    return first + count - 1


def _econ_body(ws: Any, spec: TableSpec, data: dict[str, Any], first: int, placed: dict) -> int:
    amounts = {r["code"]: r.get("amount") for r in data.get("rows", [])}
    depth = max(len(b.codes) for b in spec.blocks)
    for index, block in enumerate(spec.blocks):
        offset = spec.block_offset(index)
        for i, (code, name) in enumerate(block.codes):
            _text_cell(ws, first + i, offset + 1, code)
            ws.cell(row=first + i, column=offset + 1).number_format = "@"
            _text_cell(ws, first + i, offset + 2, name)
            placed[spec.id, code, "amount"] = _money_cell(ws, first + i, offset + 3, amounts.get(code))
            _note(ws, first + i, offset + 3, data.get("comments"), code, "amount")
    footer = first + depth
    for total in spec.totals:
        label_col = spec.block_offset(total.label_block) + 1
        value_col = spec.block_offset(total.value_block) + 3
        _text_cell(ws, footer, label_col, total.label)
        ws.cell(row=footer, column=label_col).font = Font(bold=True)
        placed[spec.id, total.id, "amount"] = _money_cell(ws, footer, value_col,
                                                          data.get("lines", {}).get(total.id, {}).get("amount"))
        _note(ws, footer, value_col, data.get("comments"), total.id, "amount")
    return footer


def _record_body(ws: Any, spec: TableSpec, data: dict[str, Any], first: int, placed: dict) -> int:
    values = data.get("lines", {}).get("row", {})
    for j, column in enumerate(spec.columns):
        placed[spec.id, "row", column.id] = _money_cell(ws, first, j + 1, values.get(column.id))
        _note(ws, first, j + 1, data.get("comments"), "row", column.id)
    return first


def _widths(ws: Any, spec: TableSpec) -> None:
    columns = [c for b in spec.blocks for c in b.columns] if spec.blocks else list(spec.columns)
    for i, column in enumerate(columns):
        ws.column_dimensions[get_column_letter(i + 1)].width = column.width


# ---- input sheets -------------------------------------------------------------


def _write_input(book: XlWorkbook, spec: InputSpec, data: dict[str, Any], prefilled: set[tuple[str, str]],
                 choices: dict[tuple[str, str], list[str]], placed: dict) -> None:
    ws = book.create_sheet(spec.sheet)
    ws.cell(row=1, column=1, value=spec.title).font = Font(bold=True, size=14)
    if spec.layout == "form":
        mine = {field: values for (input_id, field), values in choices.items() if input_id == spec.id}
        _form_body(ws, spec, data.get("forms", {}).get(spec.id, {}), prefilled, mine, placed, data.get("comments", {}))
    else:
        _list_body(ws, spec, data.get("lists", {}).get(spec.id, []), placed, data.get("comments", {}))


def _form_body(ws: Any, spec: InputSpec, values: dict[str, Any], prefilled: set[tuple[str, str]],
               choices: dict[str, list[str]], placed: dict,
               comments: dict[tuple[str, str], str]) -> None:
    for col, text in enumerate(("项目", "填写内容", "填写说明"), start=1):
        header = ws.cell(row=2, column=col, value=text)
        header.font = Font(bold=True)
        header.fill = HEADER_FILL
        header.border = BORDER
    for i, field in enumerate(spec.fields):
        row = 3 + i
        _text_cell(ws, row, 1, field.label)
        ws.cell(row=row, column=1).alignment = WRAP
        cell = _put(ws, row, 2, _field_value(field, values.get(field.id)))
        placed[spec.id, None, field.id] = cell
        cell.fill = PREFILLED_FILL if (spec.id, field.id) in prefilled else INPUT_FILL
        cell.border = BORDER
        cell.alignment = WRAP
        if field.type == "money":
            cell.number_format = MONEY_FORMAT
        if (spec.id, field.id) in prefilled:
            cell.comment = Comment("此数由上年工作簿自动带入，请核对。", "genreport")
        _note(ws, row, 2, comments, spec.id, field.id)
        hint = ws.cell(row=row, column=3, value=_hint(field))
        hint.alignment = WRAP
        hint.font = Font(color="666666")
        _validation(ws, field, f"B{row}", choices.get(field.id))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 50
    ws.freeze_panes = "B3"


def _list_body(ws: Any, spec: InputSpec, records: list[dict[str, Any]], placed: dict,
               comments: dict[tuple[str, ...], str]) -> None:
    for j, field in enumerate(spec.fields, start=1):
        header = ws.cell(row=2, column=j, value=field.label)
        header.font = Font(bold=True)
        header.fill = HEADER_FILL
        header.border = BORDER
        header.alignment = CENTER
        header.comment = Comment(_hint(field), "genreport")
        ws.column_dimensions[get_column_letter(j)].width = field.width
        letter = get_column_letter(j)
        _validation(ws, field, f"{letter}3:{letter}{2 + max(len(records), BLANK_LIST_ROWS) + 200}")
    styles = [_list_style(ws, j, field) for j, field in enumerate(spec.fields, start=1)]
    for i in range(max(len(records), BLANK_LIST_ROWS)):
        record = records[i] if i < len(records) else {}
        for j, field in enumerate(spec.fields, start=1):
            cell = ws.cell(row=3 + i, column=j)
            cell._style = copy(styles[j - 1])  # one style per column: styling cell by cell is slow for long lists
            put_text(cell, _field_value(field, record.get(field.id)) if record else None)
            if record:
                placed[spec.id, i, field.id] = cell
            _note(ws, 3 + i, j, comments, spec.id, str(i), field.id)
    ws.freeze_panes = "A3"


def _list_style(ws: Any, col: int, field: Field) -> Any:
    """Return the style of a list column's cells (set on its first row)."""
    cell = ws.cell(row=3, column=col)
    cell.fill = INPUT_FILL
    cell.border = BORDER
    cell.alignment = WRAP
    if field.type == "money":
        cell.number_format = MONEY_FORMAT
    elif field.id == "code":
        cell.number_format = "@"
    return cell._style


def _hint(field: Field) -> str:
    """Return 必填/选填 and the field's hint, without repeating the word when the hint starts with it."""
    need = "必填" if field.required else "选填"
    hint = field.hint.removeprefix(need).lstrip("；;。，, ")
    return f"{need}。{hint}" if hint else need


def _validation(ws: Any, field: Field, ref: str, suggested: list[str] | None = None) -> None:
    if field.type == "choice":
        rule = DataValidation(type="list", formula1='"' + ",".join(field.options) + '"', allow_blank=True)
    elif suggested:  # a dropdown that still accepts other text (no error alert)
        rule = DataValidation(type="list", formula1='"' + ",".join(suggested) + '"', allow_blank=True,
                              showErrorMessage=False)
    elif field.type in ("count", "year"):
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    else:
        rule = DataValidation(allow_blank=True)
    rule.promptTitle = field.label[:32]
    rule.prompt = _hint(field)[:255]
    rule.showInputMessage = True
    ws.add_data_validation(rule)
    rule.add(ref)


def _field_value(field: Field, value: Any) -> Any:
    if value is None:
        return field.default
    if field.type == "paragraphs" and isinstance(value, (list, tuple)):
        return "\n".join(value)
    if field.type == "money":
        return _excel_value(value)
    return value


def _excel_value(value: Any) -> Any:
    if value is None or isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, str):
        return Decimal(value)
    return value
