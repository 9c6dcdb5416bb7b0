"""Fill a blank workbook (`genreport init --profile P`) as an accountant does, never by column id.

A figure's column is the one whose header cells (the blue cells above the data, merged cells included) say the
words that name it, e.g. “因公出国（境）费” and “预算数”; its row is the one whose label, 科目编码 or 科目名称 the
sheet shows at its left. What a column id means in words is this module's own knowledge (MEANING), written from the
printed forms, not read from the spec: a spec that labels a column one way and reads it another fails here.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from genreport.api import init_workbook

HEADER_FILL = "DDEBF7"
INPUT_FILL = "FFF9E5"

_CODED_T9 = {"budget_total": "预算数 合计", "budget_abroad": "预算数 因公出国（境）费",
             "budget_car": "预算数 公务用车购置及运行维护费 小计", "budget_car_buy": "预算数 公务用车购置费",
             "budget_car_run": "预算数 公务用车运行维护费", "budget_reception": "预算数 公务接待费",
             "actual_total": "决算数 合计", "actual_abroad": "决算数 因公出国（境）费",
             "actual_car": "决算数 公务用车购置及运行维护费 小计", "actual_car_buy": "决算数 公务用车购置费",
             "actual_car_run": "决算数 公务用车运行维护费", "actual_reception": "决算数 公务接待费"}
_STANDARD: dict[str, dict[str, str]] = {
    "t01": {"income.amount": "收入 决算数", "expense.amount": "支出 决算数"},
    "t02": {"total": "本年收入合计", "fiscal": "财政拨款收入", "superior": "上级补助收入", "business": "事业收入",
            "operating": "经营收入", "affiliated": "附属单位上缴收入", "other": "其他收入"},
    "t03": {"total": "本年支出合计", "basic": "基本支出", "project": "项目支出", "remit": "上缴上级支出",
            "operating": "经营支出", "subsidy": "对附属单位补助支出"},
    "t04": {"income.amount": "收入 金额", "expense.total": "支出 合计", "expense.general": "支出 一般公共预算财政拨款",
            "expense.fund": "支出 政府性基金预算财政拨款", "expense.soe": "支出 国有资本经营预算财政拨款"},
    "t05": {"total": "本年支出 小计", "basic": "本年支出 基本支出", "project": "本年支出 项目支出"},
    "t06": {"amount": "决算数"},
    "t07": {"carry_in": "年初结转和结余", "income": "本年收入", "total": "本年支出 小计", "basic": "本年支出 基本支出",
            "project": "本年支出 项目支出", "carry_out": "年末结转和结余"},
    "t08": {"total": "本年支出 合计", "basic": "本年支出 基本支出", "project": "本年支出 项目支出"},
    "t09": _CODED_T9,
}
_SHANGHAI = {
    **_STANDARD,
    "t04": {"income.amount": "收入 决算数", "expense.total": "支出 合计", "expense.general": "支出 一般公共预算财政拨款",
            "expense.fund": "支出 政府性基金预算财政拨款", "expense.soe": "支出 国有资本经营预算财政拨款"},
    "t05": {"total": "合计", "basic": "基本支出", "project": "项目支出"},
    "t07": {"carry_in": "年初结转和结余", "income": "本年收入", "total": "本年支出 合计", "basic": "本年支出 基本支出",
            "project": "本年支出 项目支出", "carry_out": "年末结转和结余"},
    "t08": {"carry_in": "年初结转和结余", "income": "本年收入", "total": "本年支出 合计", "basic": "本年支出 基本支出",
            "project": "本年支出 项目支出", "carry_out": "年末结转和结余"},
    "t09": {key: "财政拨款“三公”经费 " + " ".join(reversed(words.split(" ", 1)))
            for key, words in _CODED_T9.items()},
}
_BUDGET = {
    "t01": {"income.amount": "本年收入 预算数", "expense.amount": "本年支出 预算数"},
    "t02": {"total": "收入预算 合计", "fiscal": "财政拨款收入", "business": "事业收入", "operating": "事业单位经营收入",
            "other": "其他收入"},
    "t03": {"total": "支出预算 合计", "basic": "基本支出", "project": "项目支出"},
    "t04": {"income.amount": "财政拨款收入 预算数", "expense.total": "财政拨款支出 合计",
            "expense.general": "财政拨款支出 一般公共预算", "expense.fund": "财政拨款支出 政府性基金预算",
            "expense.soe": "财政拨款支出 国有资本经营预算"},
    "t05": {"total": "一般公共预算支出 合计", "basic": "基本支出", "project": "项目支出"},
    "t06": {"total": "政府性基金预算支出 合计", "basic": "基本支出", "project": "项目支出"},
    "t07": {"total": "国有资本经营预算支出 合计", "basic": "基本支出", "project": "项目支出"},
    "t08": {"total": "一般公共预算基本支出 合计", "personnel": "人员经费", "public": "公用经费"},
    "t09": {"total": "“三公”经费预算数 合计", "abroad": "因公出国(境)费", "reception": "公务接待费",
            "car": "公务用车购置及运行费 小计", "car_buy": "购置费", "car_run": "运行费", "agency": "机关运行经费预算数"},
}
#: spec id → table id → column id (lines tables: block.column) → the header words an accountant reads over it.
MEANING = {"standard": _STANDARD, "shanghai": _SHANGHAI, "budget-shanghai": _BUDGET}


class Sheet:
    """One table sheet of a blank workbook, seen through its header cells."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        blue = [r for r in range(1, 30) if any(_fill(ws.cell(r, c)) == HEADER_FILL for c in range(1, ws.max_column + 1))]
        self.header_rows = list(range(blue[0], blue[-1] + 1))
        self.first_data = self.header_rows[-1] + 1
        merged = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = ws.cell(rng.min_row, rng.min_col).value
        self.words = {c: [str(merged.get((r, c), ws.cell(r, c).value) or "").strip() for r in self.header_rows]
                      for c in range(1, ws.max_column + 1)}

    def column(self, words: str, within: range | None = None) -> int:
        """Return the one column whose header cells say every word (AssertionError when none or several)."""
        wanted = words.split()
        found = [c for c, said in self.words.items()
                 if all(w in said for w in wanted) and (within is None or c in within)]
        assert len(found) == 1, f"{self.ws.title}: 表头“{words}”对应 {len(found)} 列"
        return found[0]

    def label_column(self, money: int, word: str) -> int:
        """Return the nearest column left of money whose header says word (项目, 科目编码…)."""
        return max(c for c in range(1, money) if word in self.words[c])

    def rows_labelled(self, column: int, label: str) -> list[int]:
        """Return the data rows whose cell in column shows label."""
        return [r for r in range(self.first_data, self.ws.max_row + 1)
                if str(self.ws.cell(r, column).value or "").strip() == label]

    def put(self, row: int, column: int, value: Any) -> None:
        """Type value into a cell (text stays text)."""
        self.ws.cell(row, column).value = value


def _fill(cell: Any) -> str:
    color = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fgColor is not None else None
    return str(color or "")[-6:]


def fill_tables(path: Path, spec: Any, tables: dict[str, dict[str, Any]]) -> None:
    """Type the tables' figures into the workbook at path by header words and row labels, then save it.

    tables has the plain shape of excel.write_workbook ({"lines": {line: {column: value}}, "rows": [...]}); each
    value is placed where the column's words (MEANING) and the row's label say, never by the column's position.
    """
    book = load_workbook(path)
    meaning = MEANING[spec.id]
    for table in spec.tables:
        data = tables.get(table.id) or {}
        sheet = Sheet(book[table.sheet])
        words = meaning[table.id]
        {"lines": _fill_lines, "coded": _fill_coded, "econ": _fill_econ, "record": _fill_record}[table.layout](
            sheet, table, words, data)
    book.save(path)


def _fill_lines(sheet: Sheet, table: Any, words: dict[str, str], data: dict[str, Any]) -> None:
    for block in table.blocks:
        for line in block.lines:
            for column in (c for c in block.columns if c.role == "money"):
                value = data.get("lines", {}).get(line.id or "", {}).get(column.id)
                if line.id is None or value is None:
                    continue
                money = sheet.column(words[f"{block.id}.{column.id}"])
                label_col = sheet.label_column(money, "项目")
                rows = sheet.rows_labelled(label_col, line.label)
                nth = sum(1 for other in block.lines[:block.lines.index(line)] if other.label == line.label)
                sheet.put(rows[nth], money, value)


def _fill_coded(sheet: Sheet, table: Any, words: dict[str, str], data: dict[str, Any]) -> None:
    code_col = min(c for c, said in sheet.words.items() if any("编码" in w for w in said))
    name_col = min(c for c, said in sheet.words.items() if any("名称" in w for w in said))
    total_row = sheet.rows_labelled(name_col, "合计")[0]
    for column, value in data.get("lines", {}).get("total", {}).items():
        if value is not None:
            sheet.put(total_row, sheet.column(words[column]), value)
    row = next(r for r in range(sheet.first_data, sheet.ws.max_row + 2)
               if r != total_row and sheet.ws.cell(r, code_col).value is None
               and sheet.ws.cell(r, name_col).value is None)
    for record in data.get("rows", []):
        sheet.put(row, code_col, record["code"])
        sheet.put(row, name_col, record.get("name"))
        for column, value in record.items():
            if column not in ("code", "name") and value is not None:
                sheet.put(row, sheet.column(words[column]), value)
        row += 1


def _fill_econ(sheet: Sheet, table: Any, words: dict[str, str], data: dict[str, Any]) -> None:
    code_cols = [c for c, said in sheet.words.items() if any("编码" in w for w in said)]
    for record in data.get("rows", []):
        if record.get("amount") is None:
            continue
        for code_col in code_cols:
            rows = sheet.rows_labelled(code_col, record["code"])
            if rows:
                block = range(code_col, min([c for c in code_cols if c > code_col], default=sheet.ws.max_column + 1))
                sheet.put(rows[0], sheet.column(words["amount"], within=block), record["amount"])
                break
        else:
            raise AssertionError(f"{sheet.ws.title}: 找不到科目 {record['code']}")
    for total in table.totals:
        value = data.get("lines", {}).get(total.id, {}).get("amount")
        if value is None:
            continue
        row, col = next((r, c) for c in range(1, sheet.ws.max_column + 1) for r in sheet.rows_labelled(c, total.label))
        target = next(c for c in range(col + 1, sheet.ws.max_column + 1) if _fill(sheet.ws.cell(row, c)) == INPUT_FILL)
        sheet.put(row, target, value)


def _fill_record(sheet: Sheet, table: Any, words: dict[str, str], data: dict[str, Any]) -> None:
    for column, value in data.get("lines", {}).get("row", {}).items():
        if value is not None:
            sheet.put(sheet.first_data, sheet.column(words[column]), value)


def fill_inputs(path: Path, spec: Any, forms: dict[str, dict[str, Any]], lists: dict[str, list[dict[str, Any]]]) -> None:
    """Type the input sheets' values by the labels in column A (forms) and the header row (lists), then save."""
    book = load_workbook(path)
    for item in spec.inputs:
        ws = book[item.sheet]
        if item.layout == "form":
            rows = {str(ws.cell(r, 1).value or "").strip(): r for r in range(1, ws.max_row + 1)}
            for field in item.fields:
                value = forms.get(item.id, {}).get(field.id)
                if value is not None:
                    ws.cell(rows[field.label], 2).value = _typed(value)
        else:
            columns = {str(ws.cell(2, c).value or "").strip(): c for c in range(1, ws.max_column + 1)}
            for i, record in enumerate(lists.get(item.id, [])):
                for field in item.fields:
                    if record.get(field.id) is not None:
                        ws.cell(3 + i, columns[field.label]).value = _typed(record[field.id])
    book.save(path)


def _typed(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "\n".join(value)
    if isinstance(value, str) and value.replace(".", "", 1).isdigit() and "." in value:
        return Decimal(value)
    return value


def workbook_by_headers(path: Path, profile: str, spec: Any, data: dict[str, Any]) -> Path:
    """Return path: the profile's blank workbook (as `genreport init --profile` makes it) typed in by labels."""
    init_workbook(path, profile=profile)
    fill_inputs(path, spec, data.get("forms", {}), data.get("lists", {}))
    fill_tables(path, spec, data.get("tables", {}))
    return path
