"""Read a filled workbook into the model; reading problems become issues."""

from __future__ import annotations

import difflib
import re
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ..amounts import NotANumber, parse_amount, quantize
from ..errors import UnreadableWorkbook
from ..issues import ERROR, WARNING, Issue, as_text
from ..model import BLANK, Row, Table, Value, Workbook
from ..spec import Block, Field, InputSpec, TableSpec, WorkbookSpec, header_grid

#: Largest amount we accept in 万元 (1万亿元); anything larger is a unit or typing error.
MAX_AMOUNT = Decimal("100000000")
MAX_SHEET_ROWS = 5000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def norm(text: Any) -> str:
    """Return a label normalised for matching: NFKC, no spaces of any kind."""
    if text is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


class _Reader:
    """Reads one workbook; collects issues instead of raising on bad cells."""

    def __init__(self, path: Path, spec: WorkbookSpec) -> None:
        self.path = path
        self.spec = spec
        self.issues: list[Issue] = []
        self.book = _open(path)
        self.cached: Any = None

    # ---- cells -------------------------------------------------------------
    def raw(self, ws: Any, row: int, col: int) -> Any:
        """Return the cell value, the cached result for a formula (None + issue when missing)."""
        value = ws.cell(row=row, column=col).value
        if isinstance(value, str) and value.startswith("="):
            value = self._cached_value(ws, row, col)
        return value

    def _cached_value(self, ws: Any, row: int, col: int) -> Any:
        if self.cached is None:
            self.cached = openpyxl.load_workbook(self.path, data_only=True)
        value = self.cached[ws.title].cell(row=row, column=col).value
        if value is None:
            self.add(
                "formula-without-value", ERROR, ws.title, _a1(row, col),
                "单元格是公式，但文件里没有保存计算结果（文件可能由程序生成）。"
                "请用 Excel 或 WPS 打开该文件、保存后再试，或把公式改为数值。",
            )
        return value

    def money(self, ws: Any, row: int, col: int, label: str = "") -> Value:
        """Return an amount cell as Value(Decimal|None), adding an issue for bad input."""
        raw = self.raw(ws, row, col)
        where = _a1(row, col)
        try:
            amount = parse_amount(raw)
        except NotANumber:
            self.add("not-a-number", ERROR, ws.title, where,
                     f"{label}应填金额，但填的是“{_show(raw)}”。请填写数字（单位万元），不涉及的留空。",
                     actual=_show(raw))
            return Value(None, ws.title, where)
        if amount is None:
            return Value(None, ws.title, where)
        return Value(self._checked_amount(amount, ws.title, where, label), ws.title, where)

    def _checked_amount(self, amount: Decimal, sheet: str, where: str, label: str) -> Decimal:
        if abs(amount) > MAX_AMOUNT:
            self.add("amount-out-of-range", ERROR, sheet, where,
                     f"{label}金额 {amount:,.2f} 万元超出合理范围，请确认单位是万元而不是元。", actual=as_text(amount))
        if amount < 0:
            self.add("negative-amount", WARNING, sheet, where, f"{label}金额为负数（{amount:,.2f}），请确认。",
                     actual=as_text(amount))
        rounded = quantize(amount)
        if rounded != amount and quantize(amount, Decimal("0.000001")) != rounded:
            self.add("too-many-decimals", WARNING, sheet, where,
                     f"{label}金额 {amount} 超过两位小数，已按四舍五入取 {rounded:,.2f} 万元。",
                     expected=as_text(rounded), actual=str(amount))
        return rounded

    def text(self, ws: Any, row: int, col: int) -> str | None:
        """Return a text cell stripped of XML-illegal control characters (None when blank)."""
        raw = self.raw(ws, row, col)
        if raw is None:
            return None
        text = str(raw)
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        cleaned = _CONTROL.sub("", text)
        if cleaned != text:
            self.add("control-characters", WARNING, ws.title, _a1(row, col),
                     "单元格含有不可见的控制字符，已自动删除，请核对文字。")
        cleaned = cleaned.strip()
        return cleaned or None

    def add(self, code: str, severity: str, sheet: str, cell: str, message: str,
            expected: str = "", actual: str = "") -> None:
        """Record an issue found while reading."""
        self.issues.append(Issue(code, severity, message, sheet, cell, expected, actual))

    # ---- sheets ------------------------------------------------------------
    def sheet(self, name: str) -> Any | None:
        """Return the worksheet called name; record a missing-sheet issue when absent."""
        if name in self.book.sheetnames:
            ws = self.book[name]
            if ws.max_row > MAX_SHEET_ROWS:
                raise UnreadableWorkbook(
                    f"工作表“{name}”有 {ws.max_row} 行，超过 {MAX_SHEET_ROWS} 行的上限，"
                    "请删除多余的空行或确认文件是否正确。")
            return ws
        by_norm = {norm(s): s for s in self.book.sheetnames}
        if norm(name) in by_norm:
            return self.book[by_norm[norm(name)]]
        close = difflib.get_close_matches(name, self.book.sheetnames, n=1, cutoff=0.4)
        hint = f"是否把它改名成了“{close[0]}”？请改回“{name}”。" if close else "请使用 genreport init 生成的标准工作簿。"
        self.add("missing-sheet", ERROR, name, "", f"缺少工作表“{name}”。{hint}")
        return None


def read_workbook(path: str | Path, spec: WorkbookSpec) -> tuple[Workbook, list[Issue]]:
    """Return the workbook at path as a model plus the problems met while reading it.

    Raises UnreadableWorkbook when the file cannot be opened as an .xlsx workbook at all.
    """
    reader = _Reader(Path(path), spec)
    workbook = Workbook(spec=spec, source=str(path))
    for table_spec in spec.tables:
        ws = reader.sheet(table_spec.sheet)
        if ws is not None:
            workbook.tables[table_spec.id] = _read_table(reader, ws, table_spec)
    for input_spec in spec.inputs:
        if input_spec.optional and input_spec.sheet not in reader.book.sheetnames:
            continue
        ws = reader.sheet(input_spec.sheet)
        if ws is None:
            continue
        if input_spec.layout == "form":
            workbook.forms[input_spec.id] = _read_form(reader, ws, input_spec)
        else:
            workbook.lists[input_spec.id] = _read_list(reader, ws, input_spec)
    return workbook, reader.issues


def _open(path: Path) -> Any:
    if not path.exists():
        raise UnreadableWorkbook(f"找不到文件：{path}")
    if path.is_dir():
        raise UnreadableWorkbook(f"{path} 是一个文件夹，不是工作簿文件。")
    try:
        head = path.open("rb").read(8)
    except PermissionError:
        raise UnreadableWorkbook(f"没有权限读取文件：{path}") from None
    if not head:
        raise UnreadableWorkbook(f"文件是空的（0 字节）：{path}")
    if head == _OLE_MAGIC:
        raise UnreadableWorkbook(
            f"{path.name} 是旧版 .xls 格式或设置了打开密码的工作簿。请在 Excel/WPS 中取消密码，"
            "并“另存为”Excel 工作簿（.xlsx）后再试。")
    if not zipfile.is_zipfile(path):
        kind = "CSV 或文本文件" if path.suffix.lower() in (".csv", ".txt") else "Excel 工作簿"
        raise UnreadableWorkbook(f"{path.name} 不是 .xlsx 工作簿（看起来是{kind}以外的文件或已损坏）。"
                                 "请用 genreport init 生成的标准工作簿填写。")
    _check_zip(path)
    try:
        return openpyxl.load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise UnreadableWorkbook(f"{path.name} 无法作为 Excel 工作簿打开（{type(exc).__name__}），"
                                 "文件可能已损坏或是改了扩展名的其他文件。") from exc


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UnreadableWorkbook(f"{path.name} 已损坏，无法解压。请重新导出或从备份恢复。") from exc
    if "xl/workbook.xml" not in names:
        what = "Word 文档" if "word/document.xml" in names else "不是 Excel 工作簿"
        raise UnreadableWorkbook(f"{path.name} 实际上是{what}，只是扩展名为 .xlsx。请选择正确的工作簿文件。")
    if total > MAX_UNZIPPED_BYTES:
        raise UnreadableWorkbook(
            f"{path.name} 解压后有 {total // (1024 * 1024)} MB，超过 {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB 的上限，"
            "不像是一份部门决算工作簿。")


# ---- tables -------------------------------------------------------------------


def _find_header(reader: _Reader, ws: Any, spec: TableSpec) -> int | None:
    """Return the sheet row where the table header starts, None (with an issue) when not found."""
    first = norm(spec.header[0][0].text)
    for row in range(1, min(ws.max_row, 30) + 1):
        if norm(ws.cell(row=row, column=1).value) == first:
            return row
    reader.add("header-not-found", ERROR, ws.title, "A1",
               f"找不到表头“{spec.header[0][0].text}”，无法读取本表。请不要修改或删除表头行。")
    return None


def _check_header(reader: _Reader, ws: Any, spec: TableSpec, top: int) -> None:
    from ..spec import header_grid

    for r, c, cell in header_grid(spec.header, spec.width):
        found = ws.cell(row=top + r, column=c + 1).value
        if cell.text and norm(found) != norm(cell.text):
            reader.add("header-mismatch", ERROR, ws.title, _a1(top + r, c + 1),
                       f"表头应为“{cell.text}”，实际是“{_show(found)}”。请恢复标准表头，不要增删或移动列。",
                       expected=cell.text, actual=_show(found))


def _read_table(reader: _Reader, ws: Any, spec: TableSpec) -> Table:
    table = Table(spec=spec)
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
        wanted = {norm(line.label): line for line in block.lines if line.id}
        seen: set[str] = set()
        for row in range(first, ws.max_row + 1):
            line = wanted.get(norm(ws.cell(row=row, column=offset + 1).value))
            if line is None or line.id in seen:
                continue
            seen.add(line.id)
            table.lines[line.id] = _read_block_cells(reader, ws, block, offset, row, line.label)
        for line in block.lines:
            if line.id and line.id not in seen:
                reader.add("missing-line", ERROR, ws.title, "",
                           f"找不到“{line.label}”行。请不要修改或删除表中的固定项目名称。")


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
            if "合计" in norm(name):
                table.lines["total"] = {c.id: reader.money(ws, row, col[c.id], "合计行") for c in spec.money_columns}
            elif _has_values(ws, row, spec):
                reader.add("row-without-code", ERROR, ws.title, _a1(row, col["code"]),
                           f"第{row}行填了金额但没有科目编码，请补填科目编码或删除该行。")
            continue
        if not code.isdigit() or len(code) not in (3, 5, 7):
            reader.add("code-format", ERROR, ws.title, _a1(row, col["code"]),
                       f"科目编码“{code}”格式不对：功能分类科目编码应为3位（类）、5位（款）或7位（项）数字。",
                       actual=code)
            continue
        if code in codes:
            reader.add("duplicate-code", ERROR, ws.title, _a1(row, col["code"]),
                       f"科目编码 {code} 重复出现（第{codes[code]}行和第{row}行），请合并为一行。", actual=code)
            continue
        codes[code] = row
        label = f"{code} {name}"
        cells = {c.id: reader.money(ws, row, col[c.id], label) for c in spec.money_columns}
        table.rows.append(Row(code=code, name=name, cells=cells, sheet_row=row))
    table.rows.sort(key=lambda r: (r.code[:3], r.code[:5], r.code))


def _has_values(ws: Any, row: int, spec: TableSpec) -> bool:
    return any(ws.cell(row=row, column=i + 1).value not in (None, "") for i, c in enumerate(spec.columns)
               if c.role == "money")


def _code(text: str | None) -> str:
    return norm(text) if text else ""


def _read_econ(reader: _Reader, ws: Any, spec: TableSpec, table: Table, first: int) -> None:
    for index, block in enumerate(spec.blocks):
        offset = spec.block_offset(index)
        found: dict[str, int] = {}
        for row in range(first, ws.max_row + 1):
            code = _code(reader.text(ws, row, offset + 1))
            if code.isdigit() and code not in found:
                found[code] = row
        for code, name in block.codes:
            row = found.get(code)
            if row is None:
                reader.add("missing-line", ERROR, ws.title, "", f"找不到经济分类科目 {code} {name} 所在行，请不要删除固定科目。")
                continue
            cell = reader.money(ws, row, offset + 3, f"{code} {name}")
            table.rows.append(Row(code=code, name=name, cells={"amount": cell}, sheet_row=row))
        extra = set(found) - {c for c, _ in block.codes}
        for code in sorted(extra):
            reader.add("unknown-code", WARNING, ws.title, _a1(found[code], offset + 1),
                       f"经济分类科目 {code} 不在本表的固定科目中，其金额不会被读取。")
    for total in spec.totals:
        _read_econ_total(reader, ws, spec, table, first, total)


def _read_econ_total(reader: _Reader, ws: Any, spec: TableSpec, table: Table, first: int, total: Any) -> None:
    label_col = spec.block_offset(total.label_block) + 1
    value_col = spec.block_offset(total.value_block) + 3
    for row in range(first, ws.max_row + 1):
        if norm(ws.cell(row=row, column=label_col).value) == norm(total.label):
            table.lines[total.id] = {"amount": reader.money(ws, row, value_col, total.label)}
            return
    reader.add("missing-line", ERROR, ws.title, "", f"找不到“{total.label}”行，请不要修改表尾合计行。")


def _read_record(reader: _Reader, ws: Any, spec: TableSpec, table: Table, first: int) -> None:
    table.lines["row"] = {c.id: reader.money(ws, first, i + 1, "") for i, c in enumerate(spec.columns)}


# ---- input sheets ---------------------------------------------------------------


def _read_form(reader: _Reader, ws: Any, spec: InputSpec) -> dict[str, Value]:
    rows = {norm(ws.cell(row=r, column=1).value): r for r in range(1, ws.max_row + 1)}
    values: dict[str, Value] = {}
    for field in spec.fields:
        row = rows.get(norm(field.label))
        if row is None:
            reader.add("missing-field", ERROR, ws.title, "",
                       f"找不到“{field.label}”一行。请不要修改 A 列的项目名称。")
            continue
        values[field.id] = _read_field(reader, ws, row, 2, field)
    return values


def _read_list(reader: _Reader, ws: Any, spec: InputSpec) -> list[dict[str, Value]]:
    headers = {f.label for f in spec.fields}
    top = next((r for r in range(1, min(ws.max_row, 20) + 1)
                if norm(ws.cell(row=r, column=1).value) in {norm(h) for h in headers}), None)
    if top is None:
        reader.add("header-not-found", ERROR, ws.title, "A1", "找不到表头行，请不要修改或删除表头。")
        return []
    columns = {norm(ws.cell(row=top, column=c).value): c for c in range(1, ws.max_column + 1)}
    records = []
    for row in range(top + 1, ws.max_row + 1):
        if all(ws.cell(row=row, column=c).value in (None, "") for c in columns.values()):
            continue
        record = {}
        for field in spec.fields:
            col = columns.get(norm(field.label))
            if col is None:
                continue
            record[field.id] = _read_field(reader, ws, row, col, field)
        records.append(record)
    for field in spec.fields:
        if field.required and norm(field.label) not in columns:
            reader.add("missing-column", ERROR, ws.title, _a1(top, 1), f"缺少“{field.label}”列，请恢复标准表头。")
    return records


def _read_field(reader: _Reader, ws: Any, row: int, col: int, field: Field) -> Value:
    where = _a1(row, col)
    if field.type == "money":
        value = reader.money(ws, row, col, f"“{field.label}”")
    elif field.type in ("count", "year"):
        value = _read_integer(reader, ws, row, col, field)
    elif field.type == "paragraphs":
        text = reader.text(ws, row, col)
        paragraphs = [p.strip() for p in text.splitlines() if p.strip()] if text else None
        value = Value(paragraphs or None, ws.title, where)
    else:
        value = Value(reader.text(ws, row, col), ws.title, where)
        if field.type == "choice":
            value = _checked_choice(reader, value, field)
    if value.blank and field.required:
        reader.add("required-missing", ERROR, ws.title, where, f"“{field.label}”未填写。{field.hint}")
    return value


def _read_integer(reader: _Reader, ws: Any, row: int, col: int, field: Field) -> Value:
    where = _a1(row, col)
    raw = reader.raw(ws, row, col)
    try:
        number = parse_amount(raw)
    except NotANumber:
        number = Decimal(-1)
    if number is None:
        return Value(None, ws.title, where)
    if number != number.to_integral_value() or number < 0 or (field.type == "year" and not 1990 <= number <= 2100):
        kind = "四位年份" if field.type == "year" else "非负整数"
        reader.add("not-an-integer", ERROR, ws.title, where, f"“{field.label}”应填{kind}，实际是“{_show(raw)}”。",
                   actual=_show(raw))
        return Value(None, ws.title, where)
    return Value(int(number), ws.title, where)


def _checked_choice(reader: _Reader, value: Value, field: Field) -> Value:
    if value.blank:
        return Value(field.default, value.sheet, value.cell)
    if value.value not in field.options:
        options = "、".join(field.options)
        reader.add("bad-choice", ERROR, value.sheet, value.cell,
                   f"“{field.label}”只能填写：{options}；实际是“{value.value}”。", actual=str(value.value))
        return Value(field.default, value.sheet, value.cell)
    return value


def _a1(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _show(raw: Any) -> str:
    text = "" if raw is None else str(raw)
    return text if len(text) <= 30 else text[:30] + "…"


__all__ = ["read_workbook", "norm", "BLANK"]
