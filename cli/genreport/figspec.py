"""Figures defined as data in the spec (`figures:`): amounts, changes, 项 rows, records and forms.

A spec that has a `figures:` section gets exactly these figures instead of the built-in ones. Each
entry is one of four kinds (see docs/模板变量.md):

- ``{amount: EXPR, prior: EXPR, KEY: input.field…}``: a sum of cells (the checks' expression language)
  in the narrative unit, its Change against prior when prior is filled, and the named input texts;
- ``{rows: [tables], level: 3, column: total, notes: {list, key, column}}``: every row of that level
  of the tables, with its 类/款/项 names, amount and the note typed for its code in an input list;
- ``{records: list, amount: column, count_by: column}``: the rows of an input list (`entries`), their count,
  the total of the amount column and the count of each option of a choice column;
- ``{form: input}``: the fields of a form input.

Amounts are converted from the unit of their table or field to the spec's `text_unit` half-up.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from .units import convert
from .checks.expr import parse
from .checks.operands import in_common_unit, resolve_side, unit_of
from .model import Table, Value, Workbook
from .wording import Change

ZERO = Decimal(0)
AMOUNT_KEYS = ("amount", "prior")


def defined_figures(workbook: Workbook) -> dict[str, Any]:
    """Return every figure the spec's `figures:` section defines, by name."""
    kinds = {"rows": _rows_figure, "records": _records_figure, "form": _form_figure, "amount": _amount_figure}
    result = {}
    for name, definition in workbook.spec.figures.items():
        kind = next((k for k in kinds if k in definition), None)
        if kind is None:
            raise ValueError(f"figures/{name}: 应有 amount、rows、records 或 form 之一")
        result[name] = kinds[kind](workbook, definition)
    return result


def amount_of(workbook: Workbook, text: str) -> tuple[Decimal, bool] | None:
    """Return (the sum an expression names in the narrative unit, all cells blank); None when unresolvable."""
    operands = resolve_side(parse(text).lhs, workbook)
    if operands is None:
        return None
    operands = in_common_unit(operands)
    total = sum((o.sign * o.number for o in operands), ZERO)
    return convert(total, unit_of(operands), workbook.spec.text_unit), all(o.blank for o in operands)


def _amount_figure(workbook: Workbook, definition: dict[str, Any]) -> dict[str, Any]:
    found = amount_of(workbook, definition["amount"])
    if found is None:
        raise ValueError(f"figures: 无法取得“{definition['amount']}”")
    amount, blank = found
    figure: dict[str, Any] = {"amount": amount, "blank": blank, "change": None}
    if "prior" in definition:
        prior = amount_of(workbook, definition["prior"])
        if prior is not None and not prior[1]:
            figure["change"] = Change(amount, prior[0])
    for key, ref in definition.items():
        if key not in AMOUNT_KEYS:
            figure[key] = _field(workbook, ref)
    return figure


def _field(workbook: Workbook, ref: str) -> Any:
    input_id, _, field_id = ref.partition(".")
    return _plain(workbook, workbook.spec.input(input_id).field(field_id), workbook.form(input_id, field_id))


def _plain(workbook: Workbook, field: Any, value: Value) -> Any:
    """Return a field's value as the narrative uses it: amounts in the narrative unit, None when blank."""
    if field.type == "money" and value.value is not None:
        return convert(value.value, field.unit, workbook.spec.text_unit)
    return value.value


def _rows_figure(workbook: Workbook, definition: dict[str, Any]) -> list[dict[str, Any]]:
    notes = _notes(workbook, definition.get("notes"))
    unnoted = {definition["notes"]["column"]: None} if definition.get("notes") else {}  # a 项 with no note row
    column = definition.get("column", "total")
    items = []
    for table_id in definition["rows"]:
        table = workbook.tables.get(table_id)
        for row in table.rows if table else []:
            if row.level != int(definition.get("level", 3)):
                continue
            amount = convert(row.get(column).amount, table.spec.unit, workbook.spec.text_unit)
            items.append({"code": row.code, "name": row.name, "names": _names(table, row.code), "amount": amount,
                          "table": table_id, **unnoted, **notes.get(row.code, {})})
    return items


def _names(table: Table, code: str) -> list[str]:
    """Return [类名, 款名, 项名] (as many as the code has levels) from the table's own rows."""
    names = []
    for length in (3, 5, 7)[: {3: 1, 5: 2, 7: 3}.get(len(code), 0)]:
        parent = table.row(code[:length])
        names.append(parent.name if parent else code[:length])
    return names


def _notes(workbook: Workbook, conf: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Return code → {column: text} from an input list (the first row of a code wins)."""
    if not conf:
        return {}
    found: dict[str, dict[str, Any]] = {}
    for record in workbook.lists.get(conf["list"], []):
        key = record.get(conf.get("key", "code"))
        if key is not None and key.value is not None:
            found.setdefault(str(key.value).strip(), {conf["column"]: _value(record, conf["column"])})
    return found


def _value(record: dict[str, Value], column: str) -> Any:
    value = record.get(column)
    return value.value if value is not None else None


def _records_figure(workbook: Workbook, definition: dict[str, Any]) -> dict[str, Any]:
    spec = workbook.spec.input(definition["records"])
    entries = [{f.id: _plain(workbook, f, record.get(f.id) or Value(None)) for f in spec.fields}
               for record in workbook.lists.get(spec.id, [])]
    amount = definition.get("amount")
    counts: Counter[Any] = Counter()
    if definition.get("count_by"):
        field = spec.field(definition["count_by"])
        counts.update({option: 0 for option in field.options})
        counts.update(e[field.id] for e in entries)
    return {
        "entries": entries,
        "count": len(entries),
        "total": sum((e[amount] or ZERO for e in entries), ZERO) if amount else None,
        "counts": dict(counts),
    }


def _form_figure(workbook: Workbook, definition: dict[str, Any]) -> dict[str, Any]:
    spec = workbook.spec.input(definition["form"])
    return {f.id: _plain(workbook, f, workbook.form(spec.id, f.id)) for f in spec.fields}
