"""The figures of a profile, defined as data in its spec (`figures:`) and evaluated here (Decimal, half-up).

Every bundled profile names its figures in its spec; Python keeps only this evaluator. A figure is
(see docs/样式编写指南.md):

- a value, written in the expression language (expression.py): a sum of cells and fields
  (`t05.total.total`, `prior.car_buy + prior.car_run`), an input field (`reasons.general_change`: its
  typed value, None when blank), another figure (`fig.general.total`), a field of the current row
  (`row.total`), a literal ('text', 0, none, true, false) or a call (`change(a, b)`, FUNCTIONS below);
- a group: a mapping of names to figures (evaluated in order; later ones may name earlier ones);
- a list kind: `{rows: [tables], level: 3, join: …, each: {…}}` (one group per 项 row, with columns of the
  row and fields of joined input lists as `row.…`), `{records: list, where: field, each: {…}}` (one group per
  filled record), `{parts: table, …}` (named amounts with their shares), `{form: input, …}` (a form's fields,
  plus any further named figures);
- the shorthand measure `{amount: SUM, prior: SUM, KEY: input.field…}`: the amount, `blank` (all its cells
  blank), its `change` against prior and the named fields;
- the older list shorthand `{rows: [tables], level: 3, column: total, notes: {list, key, columns}, prior: column}`:
  each row with its 类/款/项 names, amount and the columns typed for its code in an input list; `prior` names
  the joined column holding last year's figure, from which the row's Change is computed.

Amounts are converted from the unit of their table or field to the spec's `text_unit` half-up.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fnmatch import fnmatchcase
from typing import Any

from .amounts import quantize, ratio_pct
from .errors import SpecError
from .expression import Call, Expr, Literal, Name, Node, parse, parse_value
from .model import Row, Table, Value, Workbook
from .operands import in_common_unit, resolve_side, unit_of
from .figlang import AMOUNT_KEYS, kind_of
from .spec import TableSpec, header_grid
from .units import convert
from .comparisons import Change, Completion, grade, parts_of
from .model import Missing

ZERO = Decimal(0)
DEFAULT_GRADES = (("优", 90), ("良", 80), ("中", 60), ("差", 0))


def defined_figures(workbook: Workbook, scale: tuple[tuple[str, int], ...] = DEFAULT_GRADES) -> dict[str, Any]:
    """Return every figure the spec's `figures:` section defines, by name (scale grades scores)."""
    evaluator = Evaluator(workbook, scale)
    evaluator.group(workbook.spec.figures, evaluator.root, None, "figures")
    return evaluator.root


def column_titles(spec: TableSpec) -> dict[str, str]:
    """Return column id → printed header text (the lowest header cell that is not a 栏次 number)."""
    titles: dict[int, str] = {}
    for _, col, cell in header_grid(spec.header, spec.width):
        text = cell.text.strip()
        if text and not text.isdigit() and text != "栏次":
            for c in range(col, col + cell.colspan):
                titles[c] = text
    columns = spec.columns or tuple(c for b in spec.blocks for c in b.columns)
    return {column.id: titles.get(i, column.id) for i, column in enumerate(columns)}


def _parse(text: str, where: str) -> Node:
    try:
        return parse_value(text)
    except ValueError as error:
        raise SpecError(f"figures 中 {where} 的写法有误：{error}") from None


class RowContext:
    """The current row of a `rows:` or `records:` list: what `row.…` names."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values


class Evaluator:
    """Evaluates a spec's figure definitions against one workbook; root is the `fig` being built."""

    def __init__(self, workbook: Workbook, scale: tuple[tuple[str, int], ...]) -> None:
        self.workbook, self.scale = workbook, scale
        self.root: dict[str, Any] = {}

    def fail(self, where: str, what: str) -> SpecError:
        """Return the error naming the figure (a spec mistake: validation at load should have caught it)."""
        return SpecError(f"工作簿说明 {self.workbook.spec.id} 的 {where} 无法计算：{what}")

    # --- figures and groups -------------------------------------------------------------------------
    def group(self, definitions: dict[str, Any], target: dict[str, Any], row: RowContext | None, where: str) -> None:
        """Evaluate definitions in order into target (a later figure may name an earlier one)."""
        for key, definition in definitions.items():
            path = f"{where}.{key}"
            if isinstance(definition, dict) and kind_of(definition) is None:
                target[key] = {}
                self.group(definition, target[key], row, path)
            else:
                target[key] = self.figure(definition, row, path)

    def figure(self, definition: Any, row: RowContext | None, where: str) -> Any:
        """Return the value of one figure definition."""
        if isinstance(definition, str):
            return self.value(_parse(definition, where), row, where)
        if isinstance(definition, bool) or definition is None:
            return definition
        if isinstance(definition, (int, float)):
            return Decimal(str(definition))
        if isinstance(definition, list):
            return [self.figure(item, row, f"{where}[{i}]") for i, item in enumerate(definition)]
        kind = kind_of(definition)
        if kind == "rows":
            return self.rows(definition, where) if "each" in definition else _rows_figure(self.workbook, definition)
        if kind == "records":
            return self.records(definition, where) if "each" in definition else _records_figure(
                self.workbook, definition)
        if kind == "form":
            return self.form(definition, row, where)
        if kind == "parts":
            return self.parts(definition, row, where)
        if kind == "amount":
            return _amount_figure(self.workbook, definition)
        group: dict[str, Any] = {}
        self.group(definition, group, row, where)
        return group

    # --- values -------------------------------------------------------------------------------------
    def value(self, node: Node, row: RowContext | None, where: str) -> Any:
        """Return the value of a parsed expression."""
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Name):
            return node.id
        if isinstance(node, Call):
            function = FUNCTIONS.get(node.name)
            if function is None:
                raise self.fail(where, f"没有名为 {node.name} 的函数")
            return function(self, node, row, where)
        return self.sum(node, row, where)

    def sum(self, expr: Expr, row: RowContext | None, where: str) -> Any:
        """Return a sum of terms in the narrative unit; a lone field or name gives its own value (None when blank)."""
        if len(expr.lhs) == 1 and expr.lhs[0][0] == 1 and expr.lhs[0][1].kind in ("field", "name"):
            ref = expr.lhs[0][1]
            return self.name(ref.key, row, where) if ref.kind == "name" else self.field(ref.owner, ref.key, where)
        total, cells = ZERO, []
        for sign, ref in expr.lhs:
            if ref.kind == "name":
                found = self.name(ref.key, row, where)
                if isinstance(found, Missing):
                    found = None
                if found is not None and not isinstance(found, Decimal):
                    raise self.fail(where, f"{ref.text} 不是金额，不能相加")
                total += sign * (found or ZERO)
            else:
                cells.append((sign, ref))
        if cells:
            operands = resolve_side(tuple(cells), self.workbook)
            if operands is None:
                raise self.fail(where, f"工作簿中没有“{' '.join(r.text for _, r in cells)}”")
            operands = in_common_unit(operands)
            found = sum((o.sign * o.number for o in operands), ZERO)
            total += convert(found, unit_of(operands), self.workbook.spec.text_unit)
        return total

    def field(self, input_id: str, field_id: str, where: str) -> Any:
        """Return an input field's value as the narrative uses it (amounts in the narrative unit, None when blank)."""
        try:
            spec = self.workbook.spec.input(input_id).field(field_id)
        except (KeyError, ValueError, SpecError):
            raise self.fail(where, f"工作簿说明中没有输入项 {input_id}.{field_id}") from None
        return _plain(self.workbook, spec, self.workbook.form(input_id, field_id))

    def name(self, path: str, row: RowContext | None, where: str) -> Any:
        """Return the figure (`fig.…`) or row field (`row.…`) a dotted name stands for."""
        if "[]" in path:
            raise self.fail(where, f"{path} 是一列值，只能交给 total、count、collect 等函数")
        head, *rest = path.split(".")
        if head == "row":
            if row is None:
                raise self.fail(where, f"{path} 只能写在 rows 或 records 的 each 中")
            if rest[0] not in row.values:
                raise self.fail(where, f"本行没有 {rest[0]}")
            return walk(row.values[rest[0]], rest[1:])
        return walk(self.root, rest)

    def each(self, node: Node, row: RowContext | None, filters: dict[str, Any], where: str) -> list[Any]:
        """Return the values a list name stands for: `fig.list` its items, `fig.list[].path` each item's path."""
        if not (isinstance(node, Expr) and len(node.lhs) == 1 and node.lhs[0][1].kind == "name"):
            raise self.fail(where, "应为一列值（如 fig.general.details[].actual）")
        path = node.lhs[0][1].key
        list_path, _, rest = path.partition("[]")
        items = self.name(list_path, row, where)
        if not isinstance(items, list):
            raise self.fail(where, f"{list_path} 不是列表")
        chosen = [item for item in items if all(walk(item, [k]) == v for k, v in filters.items())]
        keys = [k for k in rest.split(".") if k]
        return [walk(item, keys) for item in chosen]

    # --- list kinds ---------------------------------------------------------------------------------
    def rows(self, definition: dict[str, Any], where: str) -> list[dict[str, Any]]:
        """Return one group per row of the given level of the tables (`row.` names columns and joined fields)."""
        tables = definition["rows"] if isinstance(definition["rows"], list) else [definition["rows"]]
        joins = definition.get("join") or []
        joins = [_join(self.workbook, j) for j in (joins if isinstance(joins, list) else [joins])]
        level = int(definition.get("level", 3))
        result = []
        for table_id in tables:
            table = self.workbook.tables.get(table_id)
            for row in table.rows if table else []:
                if row.level == level:
                    values = self.row_values(table, row, joins)
                    item: dict[str, Any] = {}
                    self.group(definition["each"], item, RowContext(values), f"{where}.each")
                    result.append(item)
        return result

    def row_values(self, table: Table, row: Row, joins: list[tuple[Any, dict[str, dict[str, Value]]]]) -> dict[str, Any]:
        """Return what `row.…` names on a table row: code, name, names, level, its amounts, joined fields."""
        values: dict[str, Any] = {}
        for spec, records in reversed(joins):
            record = records.get(row.code, {})
            values.update({f.id: _plain(self.workbook, f, record.get(f.id) or Value(None)) for f in spec.fields})
        for column in table.spec.money_columns:
            values[column.id] = convert(row.get(column.id).amount, table.spec.unit, self.workbook.spec.text_unit)
        values.update(code=row.code, name=row.name, names=_names(table, row.code), level=row.level,
                      table=table.spec.id)
        return values

    def records(self, definition: dict[str, Any], where: str) -> list[dict[str, Any]]:
        """Return one group per record of an input list (`where: field` keeps the records where it is filled)."""
        spec = self.workbook.spec.input(definition["records"])
        result = []
        for record in self.workbook.lists.get(spec.id, []):
            values = {f.id: _plain(self.workbook, f, record.get(f.id) or Value(None)) for f in spec.fields}
            if definition.get("where") and values.get(definition["where"]) in (None, ""):
                continue
            item: dict[str, Any] = {}
            self.group(definition["each"], item, RowContext(values), f"{where}.each")
            result.append(item)
        return result

    def form(self, definition: dict[str, Any], row: RowContext | None, where: str) -> dict[str, Any]:
        """Return a form's fields, then the further figures named beside `form:`."""
        figure = _form_figure(self.workbook, definition)
        self.group({k: v for k, v in definition.items() if k != "form"}, figure, row, where)
        return figure

    def parts(self, definition: dict[str, Any], row: RowContext | None, where: str) -> list[Any]:
        """Return named amounts with their shares of `of`: a line's money columns, or the rows of a level."""
        table = self.workbook.tables[definition["parts"]]
        unit, text_unit = table.spec.unit, self.workbook.spec.text_unit
        if "line" in definition:
            titles = column_titles(table.spec)
            skip = definition.get("except") or []
            named = [(titles[c.id], convert(table.amount(definition["line"], c.id), unit, text_unit))
                     for c in table.spec.money_columns if c.id not in skip]
        else:
            trim, column = definition.get("trim") or "", definition.get("column", "total")
            named = [(_trimmed(r.name, trim), convert(r.get(column).amount, unit, text_unit))
                     for r in table.rows if r.level == int(definition.get("level", 1))]
        whole = self.figure(definition["of"], row, f"{where}.of")
        return parts_of(named, whole or ZERO)


def walk(value: Any, keys: list[str]) -> Any:
    """Return value[k1][k2]… (attributes of Change, Completion…); None as soon as a step is None."""
    for key in keys:
        if value is None:
            return None
        if isinstance(value, dict):
            if key not in value:
                raise KeyError(key)
            value = value[key]
        else:
            value = getattr(value, key)
    return value


def _trimmed(name: str, suffix: str) -> str:
    return name[: -len(suffix)] if suffix and name.endswith(suffix) else name


def _join(workbook: Workbook, conf: dict[str, Any]) -> tuple[Any, dict[str, dict[str, Value]]]:
    """Return (the list's spec, code → record) for an input list joined to table rows (a later record wins)."""
    spec = workbook.spec.input(conf["list"])
    key, where = conf.get("key", "code"), conf.get("where") or {}
    found: dict[str, dict[str, Value]] = {}
    for record in workbook.lists.get(spec.id, []):
        code = record.get(key)
        if code is None or code.value is None:
            continue
        if all((record.get(k) or Value(None)).value == v for k, v in where.items()):
            found[str(code.value).strip()] = record
    return spec, found


# --- functions ------------------------------------------------------------------------------------------
def _args(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> list[Any]:
    return [ev.value(arg, row, where) for arg in node.args]


def _kwargs(ev: Evaluator, node: Call, row: RowContext | None, where: str, *reserved: str) -> tuple[dict, dict]:
    """Return (options named in reserved, filters: every other key=value)."""
    values = {key: ev.value(arg, row, where) for key, arg in node.kwargs}
    return ({k: v for k, v in values.items() if k in reserved},
            {k: v for k, v in values.items() if k not in reserved})


def _pair(kind: type) -> Any:
    def build(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> Any:
        first, second = (_amount(v) for v in _args(ev, node, row, where))
        return None if first is None or second is None else kind(first, second)
    return build


def _share(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> Decimal | None:
    part, whole = (_amount(v) for v in _args(ev, node, row, where))
    return ratio_pct(part or ZERO, whole or ZERO)


def _amount(value: Any) -> Decimal | None:
    """Return value when it is an amount; None for a blank, and for a required input left blank (Missing, only
    with --force), which takes part in no computation (the template prints its placeholder where it is named)."""
    return value if isinstance(value, Decimal) else None


def _first(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> Any:
    """Return the first argument that is filled (neither blank nor a required input left blank)."""
    for arg in node.args:
        found = ev.value(arg, row, where)
        if found is not None and not isinstance(found, Missing):
            return found
    return None


def _filled(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> bool:
    return all(value is not None for value in _args(ev, node, row, where))


def _zero(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> bool:
    return all((_amount(value) or ZERO) == 0 for value in _args(ev, node, row, where))


def _empty(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> bool:
    (table_id,) = _args(ev, node, row, where)
    return ev.workbook.tables[table_id].empty


def _names(table: Table, code: str) -> list[str]:
    """Return [类名, 款名, 项名] (as many as the code has levels) from the table's own rows."""
    names = []
    for length in (3, 5, 7)[: {3: 1, 5: 2, 7: 3}.get(len(code), 0)]:
        parent = table.row(code[:length])
        names.append(parent.name if parent else code[:length])
    return names


def _row_names(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> list[str]:
    """Return the names of the coded rows a sum's patterns match whose amount is not 0 (in the sum's order)."""
    names: list[str] = []
    for arg in node.args:
        for _, ref in arg.lhs if isinstance(arg, Expr) else ():
            table = ev.workbook.tables.get(ref.owner)
            if ref.kind != "row" or table is None:
                raise ev.fail(where, f"names 的参数应为科目行，如 t06[301??].amount：{ref.text}")
            names += [r.name for r in table.rows
                      if fnmatchcase(r.code, ref.key) and quantize(r.get(ref.column).amount) != 0]
    return names


def _total(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> Decimal | None:
    options, filters = _kwargs(ev, node, row, where, "all")
    values = _numbers(ev, ev.each(node.args[0], row, filters, where), where)
    if options.get("all") and (not values or any(v is None for v in values)):
        return None
    return sum((v for v in values if v is not None), ZERO)


def _count(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> int:
    return len(ev.each(node.args[0], row, _kwargs(ev, node, row, where)[1], where))


def _collect(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> list[Any]:
    return ev.each(node.args[0], row, _kwargs(ev, node, row, where)[1], where)


def _any(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> bool:
    options, filters = _kwargs(ev, node, row, where, "empty")
    values = ev.each(node.args[0], row, filters, where)
    return any(values) if values else bool(options.get("empty", False))


def _mean(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> Decimal | None:
    values = [v for v in _numbers(ev, ev.each(node.args[0], row, _kwargs(ev, node, row, where)[1], where), where)
              if v is not None]
    return quantize(sum(values, ZERO) / len(values)) if values else None


def _numbers(ev: Evaluator, values: list[Any], where: str) -> list[Any]:
    """Return values when each is a number or None (a Missing input counts as None); else the error naming the
    figure."""
    values = [None if isinstance(v, Missing) else v for v in values]
    if any(v is not None and (isinstance(v, bool) or not isinstance(v, (int, Decimal))) for v in values):
        raise ev.fail(where, "只能对金额或数字求和、求平均（如 fig.general.details[].actual）")
    return values


def _grade(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> str | None:
    (score,) = _numbers(ev, _args(ev, node, row, where), where)
    return None if score is None else grade(score, ev.scale)


def _grades(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> dict[str, int]:
    scores = [v for v in _numbers(ev, ev.each(node.args[0], row, {}, where), where) if v is not None]
    return {name: sum(1 for s in scores if grade(s, ev.scale) == name) for name, _ in ev.scale}


def _grade_counts(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> list[dict[str, Any]]:
    return [{"grade": g, "count": n} for g, n in _grades(ev, node, row, where).items() if n]


def _list(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> list[Any]:
    return _args(ev, node, row, where)


def _self_evaluations(ev: Evaluator, node: Call, row: RowContext | None, where: str) -> list[Any]:
    from .selfeval import self_evaluations

    return self_evaluations(ev.workbook, ev.scale)


#: name → function (figlang.ARITY: how many positional arguments each takes).
FUNCTIONS = {
    "change": _pair(Change), "completion": _pair(Completion), "share": _share, "first": _first,
    "filled": _filled, "zero": _zero, "empty": _empty, "names": _row_names, "total": _total, "count": _count,
    "collect": _collect, "any": _any, "mean": _mean, "grade": _grade, "grades": _grades,
    "grade_counts": _grade_counts, "list": _list, "self_evaluations": _self_evaluations,
}


# --- the shorthand measure and the list kinds without `each` --------------------------------------------
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
        raise SpecError(f"工作簿说明 {workbook.spec.id} 的 figures 无法取得“{definition['amount']}”")
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
    """Return a field's value as the narrative uses it: amounts in the narrative unit; when blank, None
    (Missing when the field is required: only a report generated with --force gets there)."""
    if value.value is None and field.required:
        return Missing(field.label)
    if field.type == "money" and value.value is not None:
        return convert(value.value, field.unit, workbook.spec.text_unit)
    return value.value


def _rows_figure(workbook: Workbook, definition: dict[str, Any]) -> list[dict[str, Any]]:
    notes = _notes(workbook, definition.get("notes"))
    conf = definition.get("notes") or {}
    unnoted = {c: None for c in conf.get("columns") or ([conf["column"]] if conf else [])}
    column = definition.get("column", "total")
    items = []
    for table_id in definition["rows"]:
        table = workbook.tables.get(table_id)
        for row in table.rows if table else []:
            if row.level != int(definition.get("level", 3)):
                continue
            amount = convert(row.get(column).amount, table.spec.unit, workbook.spec.text_unit)
            item = {"code": row.code, "name": row.name, "names": _names(table, row.code), "amount": amount,
                    "table": table_id, **notes.get(row.code, unnoted)}
            if "prior" in definition:
                prior = item.get(definition["prior"])
                item["change"] = Change(amount, prior) if isinstance(prior, Decimal) else None
            items.append(item)
    return items


def _notes(workbook: Workbook, conf: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Return code → {column: value} from an input list (the first row of a code wins; amounts in the text unit)."""
    if not conf:
        return {}
    spec = workbook.spec.input(conf["list"])
    columns = conf.get("columns") or [conf["column"]]
    found: dict[str, dict[str, Any]] = {}
    for record in workbook.lists.get(conf["list"], []):
        key = record.get(conf.get("key", "code"))
        if key is not None and key.value is not None:
            found.setdefault(str(key.value).strip(), {c: _plain(workbook, spec.field(c), record.get(c) or Value(None))
                                                      for c in columns})
    return found


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
        "total": _entries_total(entries, amount) if amount else None,
        "counts": dict(counts),
    }


def _entries_total(entries: list[dict[str, Any]], amount: str) -> Decimal | Missing:
    """Return the sum of a list's amount column; Missing when a required amount is blank."""
    missing = next((e[amount] for e in entries if isinstance(e[amount], Missing)), None)
    return missing or sum((e[amount] or ZERO for e in entries), ZERO)


def _form_figure(workbook: Workbook, definition: dict[str, Any]) -> dict[str, Any]:
    spec = workbook.spec.input(definition["form"])
    return {f.id: _plain(workbook, f, workbook.form(spec.id, f.id)) for f in spec.fields}
