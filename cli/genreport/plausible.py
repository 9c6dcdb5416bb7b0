"""A blank-but-plausible workbook made from a spec: every cell and field filled, two records per list.

`template check` resolves a profile's figures, identities and placeholders against it when the profile
names no sample workbook of its own, so a template is proved against its own spec, never another's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from .model import Row, Table, Value, Workbook
from .spec import Field, TableSpec, WorkbookSpec

AMOUNT = Decimal("1.00")
#: One 类, 款 and 项 per table: the 项 rows are what `rows:` figures and 项 lists walk.
FUNCTION_CODES = (("201", "一般公共服务支出"), ("20101", "人大事务"), ("2010101", "行政运行"))


def plausible_workbook(spec: WorkbookSpec) -> Workbook:
    """Return a workbook of spec whose every amount is 1.00 and every text field says 示例."""
    workbook = Workbook(spec=spec, source="（样式自带的示例数据）")
    for table in spec.tables:
        workbook.tables[table.id] = _table(table)
    for item in spec.inputs:
        if item.layout == "form":
            workbook.forms[item.id] = {f.id: Value(_value(f, 0)) for f in item.fields}
        else:
            workbook.lists[item.id] = [{f.id: Value(_value(f, n)) for f in item.fields} for n in range(2)]
    return workbook


def _value(field: Field, n: int) -> Any:
    """Return a plausible value of a field (the n-th record of a list)."""
    if field.type == "money":
        return AMOUNT
    if field.type in ("count", "year"):
        return date.today().year - 1 if field.type == "year" else 1
    if field.type == "choice":
        return field.default if field.default is not None else (field.options[0] if field.options else "示例")
    if field.type == "paragraphs":
        return ["示例"]
    if field.id == "code":
        return FUNCTION_CODES[-1][0]
    return field.default if field.default is not None else f"示例{n + 1}"


def _table(spec: TableSpec) -> Table:
    table = blank_table(spec, Value(AMOUNT))
    money = {c.id for c in spec.money_columns}
    if spec.layout == "econ":
        codes = [(code, name) for block in spec.blocks for code, name in block.codes]
        table.rows = [Row(code, name, {"amount": Value(AMOUNT)}) for code, name in codes]
    elif spec.layout == "coded":
        table.rows = [Row(code, name, {c: Value(AMOUNT) for c in money}) for code, name in FUNCTION_CODES]
    return table


def blank_table(spec: TableSpec, value: Value = Value(None)) -> Table:
    """Return a table whose every fixed line and total holds value and that has no coded rows (an optional table
    a workbook lacks reads as this, blank)."""
    table = Table(spec=spec)
    if spec.layout == "lines":
        for block in spec.blocks:
            ids = {c.id for c in block.columns if c.role == "money"}
            for line in block.lines:
                if line.id:
                    table.lines[line.id] = {c: value for c in ids}
    elif spec.layout == "record":
        table.lines["row"] = {c.id: value for c in spec.columns}
    elif spec.layout == "econ":
        for total in spec.totals:
            table.lines[total.id] = {"amount": value}
    else:
        table.lines["total"] = {c.id: value for c in spec.money_columns}
    return table
