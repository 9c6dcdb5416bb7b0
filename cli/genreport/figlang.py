"""The language of a spec's `figures:` as data, and its check when the spec loads (no workbook needed).

Which kinds a figure may be, which functions exist and how many arguments each takes; `figure_problem` walks the
definitions in evaluation order, as figspec's Evaluator does, and names the first mistake. figspec evaluates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .expression import BARE_ID, Call, Expr, Name, Node, parse_value
from .references import field_problem, table_lines, term_problem
if TYPE_CHECKING:  # spec.py checks its figures with this module when it loads
    from .spec import WorkbookSpec

AMOUNT_KEYS = ("amount", "prior")
#: Keys of a mapping that make it a list kind rather than a group.
KINDS = ("rows", "records", "form", "parts")
#: function name → number of positional arguments: (least, most); most None = any.
ARITY: dict[str, tuple[int, int | None]] = {
    "change": (2, 2), "completion": (2, 2), "share": (2, 2), "first": (1, None), "filled": (1, None),
    "zero": (1, None), "empty": (1, 1), "names": (1, 1), "total": (1, 1), "count": (1, 1), "collect": (1, 1),
    "any": (1, 1), "mean": (1, 1), "grade": (1, 1), "grades": (1, 1), "grade_counts": (1, 1), "list": (1, None),
    "self_evaluations": (0, 0),
}


def kind_of(definition: dict[str, Any]) -> str | None:
    """Return the kind of a mapping figure: rows, records, form or parts (its key names a table or input
    list: an id or a list of ids), amount (the shorthand measure), or None for a group of named figures."""
    for kind in KINDS:
        value = definition.get(kind)
        ids = value if isinstance(value, list) else [value]
        if value is not None and ids and all(isinstance(i, str) and BARE_ID.match(i) for i in ids):
            return kind
    return "amount" if is_measure(definition) else None


def is_measure(definition: dict[str, Any]) -> bool:
    """Return True for the shorthand `{amount: SUM, prior: SUM, KEY: input.field}` (no call, no nested figure)."""
    if "amount" not in definition:
        return False
    for key, value in definition.items():
        if not isinstance(value, str) or "(" in value:
            return False
        try:
            node = parse_value(value)
        except ValueError:
            return False
        if key not in AMOUNT_KEYS and not isinstance(node, Expr):
            return False
    return True


# --- validation when the spec loads -------------------------------------------------------------------------
#: Options a list function takes besides its filters (any other key=value keeps the items whose key equals it).
OPTIONS = {"total": {"all"}, "any": {"empty"}, "count": set(), "collect": set(), "mean": set()}
ROW_KEYS = {"code", "name", "names", "level", "table"}


def figure_problem(spec: WorkbookSpec) -> str | None:
    """Return the first mistake in the spec's figures as "figures.a.b：what is wrong", None when there is none.

    Every expression is parsed, every cell, field, figure name (`fig.…`, defined before it is used) and row
    field (`row.…`) checked, every function and its arguments, every kind's table, list and columns.
    """
    checker = _Checker(spec)
    try:
        checker.group(spec.figures, "figures", "", None)
    except _Problem as problem:
        return str(problem)
    return None


class _Problem(Exception):
    pass


class _Checker:
    """Walks figure definitions in evaluation order, as Evaluator does, without a workbook."""

    def __init__(self, spec: WorkbookSpec) -> None:
        self.spec = spec
        self.seen: set[str] = set()

    def fail(self, where: str, what: str) -> _Problem:
        return _Problem(f"{where}：{what}")

    def group(self, definitions: Any, where: str, name: str, row: set[str] | None) -> None:
        if not isinstance(definitions, dict):
            raise self.fail(where, "应为键值表（名称: 定义）")
        for key, definition in definitions.items():
            if not isinstance(key, str) or not BARE_ID.match(key):
                raise self.fail(f"{where}.{key}", "名称只能用小写英文字母、数字和下划线，以字母开头")
            path, own = f"{where}.{key}", f"{name}.{key}" if name else key
            if isinstance(definition, dict) and kind_of(definition) is None:
                self.group(definition, path, own, row)
            else:
                self.figure(definition, path, own, row)
            self.seen.add(own)

    def figure(self, definition: Any, where: str, name: str, row: set[str] | None) -> None:
        if isinstance(definition, str):
            try:
                node = parse_value(definition)
            except ValueError as error:
                raise self.fail(where, str(error)) from None
            self.node(node, where, row)
        elif isinstance(definition, list):
            for i, item in enumerate(definition):
                self.figure(item, f"{where}[{i}]", name, row)
        elif isinstance(definition, dict):
            getattr(self, f"kind_{kind_of(definition)}")(definition, where, name, row)

    def node(self, node: Node, where: str, row: set[str] | None) -> None:
        if isinstance(node, Name):
            raise self.fail(where, f"“{node.id}”不是值：表或输入表的编号只能交给函数，如 empty({node.id})")
        if isinstance(node, Expr):
            for _, ref in node.lhs:
                self.term(ref, where, row, in_list=False)
        if isinstance(node, Call):
            self.call(node, where, row)

    def term(self, ref: Any, where: str, row: set[str] | None, in_list: bool) -> None:
        if ref.kind != "name":
            problem = term_problem(ref, self.spec)
            if problem:
                raise self.fail(where, problem)
            return
        head, *rest = ref.key.replace("[]", ".[]").split(".")
        if "[]" in rest and not in_list:
            raise self.fail(where, f"{ref.key} 是一列值，只能交给 total、count、collect、any、mean、grades 等函数")
        if head == "row":
            if row is None:
                raise self.fail(where, f"{ref.key} 只能写在 rows 或 records 的 each 中")
            if rest[0] not in row:
                raise self.fail(where, f"本行没有 {rest[0]}（可用：{'、'.join(sorted(row))}）")
            return
        path = ".".join(k for k in rest if k != "[]")
        parts = path.split(".")
        if not any(".".join(parts[:i]) in self.seen for i in range(len(parts), 0, -1)):
            raise self.fail(where, f"fig.{path} 未在此之前定义（计算结果按书写顺序计算，只能引用前面的）")

    def call(self, node: Call, where: str, row: set[str] | None) -> None:
        if node.name not in ARITY:
            raise self.fail(where, f"没有名为 {node.name} 的函数（可用：{'、'.join(ARITY)}）")
        least, most = ARITY[node.name]
        if len(node.args) < least or (most is not None and len(node.args) > most):
            count = str(least) if least == most else f"{least} 个以上" if most is None else f"{least}–{most}"
            raise self.fail(where, f"{node.name} 应有 {count} 个参数，写了 {len(node.args)} 个：{node.text}")
        if node.kwargs and node.name not in OPTIONS:
            raise self.fail(where, f"{node.name} 不接受带名字的参数：{node.text}")
        if node.name in OPTIONS:
            self.list_arg(node.args[0], where, row)
            for _, value in node.kwargs:
                self.node(value, where, row)
            return
        for arg in node.args:
            if node.name == "empty" and isinstance(arg, Name):
                if arg.id not in {t.id for t in self.spec.tables}:
                    raise self.fail(where, f"empty 的表 {arg.id} 不存在")
            elif node.name == "grades" or node.name == "grade_counts":
                self.list_arg(arg, where, row)
            elif node.name == "names":
                if not isinstance(arg, Expr) or any(ref.kind != "row" for _, ref in arg.lhs):
                    raise self.fail(where, f"names 的参数应为科目行，如 t06[301??].amount：{node.text}")
                self.node(arg, where, row)
            else:
                self.node(arg, where, row)

    def list_arg(self, node: Node, where: str, row: set[str] | None) -> None:
        if not (isinstance(node, Expr) and len(node.lhs) == 1 and node.lhs[0][1].kind == "name"):
            raise self.fail(where, "第一个参数应为一列值，如 fig.general.details[].actual 或 fig.performance.projects")
        self.term(node.lhs[0][1], where, row, in_list=True)

    def kind_rows(self, definition: dict[str, Any], where: str, name: str, row: set[str] | None) -> None:
        tables = definition["rows"] if isinstance(definition["rows"], list) else [definition["rows"]]
        known = {t.id: t for t in self.spec.tables}
        fields = set(ROW_KEYS)
        for table_id in tables:
            if table_id not in known:
                raise self.fail(f"{where}.rows", f"表 {table_id} 不存在（工作簿说明中的表：{'、'.join(known)}）")
            fields |= {c.id for c in known[table_id].money_columns}
        if definition.get("level", 3) not in (1, 2, 3):
            raise self.fail(f"{where}.level", "应为 1（类）、2（款）或 3（项）")
        joins = definition.get("join") or []
        for i, join in enumerate(joins if isinstance(joins, list) else [joins]):
            at = f"{where}.join" + (f"[{i}]" if isinstance(joins, list) else "")
            if not isinstance(join, dict) or "list" not in join:
                raise self.fail(at, "应为 {list: 输入列表, key: 编码列, where: {列: 值}}")
            for field_id in [join.get("key", "code"), *(join.get("where") or {})]:
                problem = field_problem(join["list"], field_id, self.spec, layout="list")
                if problem:
                    raise self.fail(at, problem)
            fields |= {f.id for f in self.spec.input(join["list"]).fields}
        self.each(definition, where, name, fields)

    def kind_records(self, definition: dict[str, Any], where: str, name: str, row: set[str] | None) -> None:
        problem = field_problem(definition["records"], definition.get("where"), self.spec, layout="list")
        if problem:
            raise self.fail(f"{where}.records", problem)
        if "each" in definition:
            self.each(definition, where, name, {f.id for f in self.spec.input(definition["records"]).fields})
        else:
            for key in ("amount", "count_by"):
                if definition.get(key):
                    problem = field_problem(definition["records"], definition[key], self.spec)
                    if problem:
                        raise self.fail(f"{where}.{key}", problem)

    def each(self, definition: dict[str, Any], where: str, name: str, fields: set[str]) -> None:
        if "each" not in definition:
            return
        inner = _Checker(self.spec)
        inner.seen = {f"{name}[]", *self.seen}
        inner.group(definition["each"], f"{where}.each", "", fields)
        self.seen |= {f"{name}.{key}" for key in inner.seen}

    def kind_form(self, definition: dict[str, Any], where: str, name: str, row: set[str] | None) -> None:
        problem = field_problem(definition["form"], None, self.spec, layout="form")
        if problem:
            raise self.fail(f"{where}.form", problem)
        self.group({k: v for k, v in definition.items() if k != "form"}, where, name, row)

    def kind_parts(self, definition: dict[str, Any], where: str, name: str, row: set[str] | None) -> None:
        known = {t.id: t for t in self.spec.tables}
        table = known.get(definition["parts"])
        if table is None:
            raise self.fail(f"{where}.parts", f"表 {definition['parts']} 不存在")
        if "line" in definition and definition["line"] not in table_lines(table):
            raise self.fail(f"{where}.line", f"表 {table.id} 没有 {definition['line']} 行")
        for column in [*(definition.get("except") or []), *([definition["column"]] if "column" in definition else [])]:
            if column not in {c.id for c in table.money_columns}:
                raise self.fail(f"{where}", f"表 {table.id} 没有金额列 {column}")
        if "of" not in definition:
            raise self.fail(where, "parts 应写 of: 分母（如 t02.total.total）")
        self.figure(definition["of"], f"{where}.of", name, row)

    def kind_amount(self, definition: dict[str, Any], where: str, name: str, row: set[str] | None) -> None:
        for key, value in definition.items():
            node = parse_value(value)
            if key not in AMOUNT_KEYS and not (isinstance(node, Expr) and node.lhs[0][1].kind == "field"):
                raise self.fail(f"{where}.{key}", f"应为输入项，如 reasons.fiscal_change：{value}")
            self.node(node, f"{where}.{key}", row)
