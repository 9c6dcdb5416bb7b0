"""The workbook spec: YAML in workbook_specs/ loaded into frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .amounts import NumberFormat
from .units import DEFAULT_UNIT, unit_factor
from .errors import SpecError
from .resources import file_stamp, spec_path, specs_dir
from .yamlfile import load_yaml, shown, validate_as

LAYOUTS = ("lines", "coded", "econ", "record")
#: The keys that give a table's columns (lines: in its blocks; econ: block_columns, its blocks are 科目 rows).
COLUMN_KEYS = ("columns", "blocks", "block_columns")
#: Digits of each printed part of a split code: 功能分类 类/款/项 (3/2/2), 经济分类 类/款 (3/2).
CODE_PARTS = {False: (3, 2, 2), True: (3, 2)}
ROLES = ("code", "name", "label", "lineno", "money")
FIELD_TYPES = ("text", "paragraphs", "money", "count", "year", "choice")


@dataclass(frozen=True)
class HeaderCell:
    """One cell of a printed header grid; spans follow HTML tables."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    formerly: tuple[str, ...] = field(default=(), compare=False)
    """Texts of earlier versions of the spec, still read in a workbook made then."""


@dataclass(frozen=True)
class Column:
    """One sheet column of a table: its id, its role and its Excel width."""

    id: str
    role: str
    width: int = 14
    number_format: tuple[tuple[str, Any], ...] = ()
    """This column's changes to the table's number format (amounts.NumberFormat keys and values)."""
    part: tuple[int, int] | None = None
    """A printed 类/款/项 column of a split code: the slice of the code it shows (only in print_columns_in_order)."""


@dataclass(frozen=True)
class Line:
    """A fixed line of a two-sided table; id is None for the unlabelled filler lines."""

    id: str | None
    label: str
    no: int
    code: str | None = None


@dataclass(frozen=True)
class Block:
    """A side-by-side block of columns (T01/T04 sides, the three T06 blocks)."""

    id: str
    columns: tuple[Column, ...]
    lines: tuple[Line, ...] = ()
    codes: tuple[tuple[str, str], ...] = ()
    numbering: str = ""
    """Number the printed 科目 lines (lines with a code) in order: "{cn}、" (一、), "（{cn}）", "{n}." …; a number
    typed at the start of their label is replaced. Empty: the labels as typed."""


@dataclass(frozen=True)
class Total:
    """A footer total of the 经济分类 table (人员经费合计, 公用经费合计)."""

    id: str
    label: str
    classes: tuple[str, ...]
    label_block: int
    value_block: int


@dataclass(frozen=True)
class TableSpec:
    """One 公开 table: where it lives in the workbook and how it is printed."""

    id: str
    sheet: str
    number: str
    title: str
    layout: str
    header: tuple[tuple[HeaderCell, ...], ...]
    heading: str = ""
    """This table's heading pattern (as conventions.table_heading: {title}, {cn}, {n}, {number}, {year}…); empty:
    the profile's."""
    note: str = ""
    empty_note: str = ""
    domain: str | None = None
    landscape: bool = False
    unit: str = "万元"
    columns: tuple[Column, ...] = ()
    blocks: tuple[Block, ...] = ()
    totals: tuple[Total, ...] = ()
    total_row: str = "top"
    total_label: str = "合计"
    """The label of a coded table's total row: written in the blank workbook, recognised when reading, printed."""
    omit_blank_lines: bool = False
    """Two-sided tables: print only the 科目 lines that have an amount (and no filler), totals still paired."""
    number_format: tuple[tuple[str, Any], ...] = ()
    """This table's changes to the profile's number format (amounts.NumberFormat keys and values)."""
    code_columns: str = "one"
    """A coded table's code as printed: "one" column (2010507) or "split" into 类 / 款 / 项 columns (201 | 05 | 07)."""
    code_parents: str = "show"
    """Split code columns: "show" the parents' parts on every row, or "blank" them on child rows (only 07)."""
    print_header: tuple[tuple[HeaderCell, ...], ...] = ()
    """The header as printed when it differs from the sheet's (required with split code columns)."""
    empty_rows: str | int = 0
    """An empty coded table keeps its grid: "total" (a 合计 row with blank cells) or that many blank lines."""
    optional: bool = False
    """A workbook may lack the table's sheet (one made before the table was added): it then reads as blank."""

    @property
    def decimals(self) -> int:
        """Return the decimals this table's own number_format prints (2 unless it says; "typed" counts as 2): the
        尾差 envelope is half of the last printed digit (0.5 元 for a table printed in whole 元)."""
        decimals = dict(self.number_format).get("decimals", 2)
        return decimals if isinstance(decimals, int) else 2

    @property
    def print_columns_in_order(self) -> tuple[Column, ...]:
        """Return the columns left to right: the sheet's order is the header's and the printed table's."""
        if self.blocks:
            return tuple(c for b in self.blocks for c in b.columns)
        columns = self.columns
        if self.code_columns == "split":
            columns = tuple(part for c in columns for part in (self._code_parts(c) if c.role == "code" else (c,)))
        return columns

    @property
    def printed_header(self) -> tuple[tuple[HeaderCell, ...], ...]:
        """Return the header as printed: print_header when the spec gives one, else the sheet's header."""
        return self.print_header or self.header

    def _code_parts(self, column: Column) -> tuple[Column, ...]:
        """Return the printed 类/款/项 columns of a code column (类/款 for 经济分类 codes)."""
        digits = CODE_PARTS[self.domain == "economic"]
        starts = [sum(digits[:i]) for i in range(len(digits))]
        return tuple(Column(id=column.id, role="code_part", width=4, part=(start, start + size))
                     for start, size in zip(starts, digits))

    @property
    def width(self) -> int:
        """Return the number of sheet columns the table occupies."""
        if self.blocks:
            return sum(len(b.columns) for b in self.blocks)
        return len(self.columns)

    @cached_property
    def money_columns(self) -> tuple[Column, ...]:
        """Return the amount columns of a coded or record table."""
        return tuple(c for c in self.columns if c.role == "money")

    def block_offset(self, index: int) -> int:
        """Return the 0-based sheet column where block number index starts."""
        return sum(len(b.columns) for b in self.blocks[:index])

    def __hash__(self) -> int:
        """Hash the fields once: checks look labels up by table spec thousands of times per report."""
        if "_hash" not in self.__dict__:
            object.__setattr__(self, "_hash", hash(tuple(getattr(self, f.name) for f in fields(self))))
        return self.__dict__["_hash"]


@dataclass(frozen=True)
class Field:
    """One input: a form row or a list column."""

    id: str
    label: str
    type: str = "text"
    required: bool = False
    hint: str = ""
    options: tuple[str, ...] = ()
    default: str | None = None
    width: int = 14
    carry: str | None = None
    unit: str = "万元"
    formerly: tuple[str, ...] = field(default=(), compare=False)
    """Labels of earlier versions of the spec, still read in a workbook made then."""


@dataclass(frozen=True)
class InputSpec:
    """An input sheet for what the tables do not carry (form: one field a row; list: records)."""

    id: str
    sheet: str
    layout: str
    title: str
    fields: tuple[Field, ...]
    optional: bool = False

    def field(self, field_id: str) -> Field:
        """Return the field with this id; KeyError names it when absent."""
        for item in self.fields:
            if item.id == field_id:
                return item
        raise KeyError(f"{self.id}.{field_id}")


@dataclass(frozen=True)
class WorkbookSpec:
    """The whole standard workbook: tables, input sheets and the code lists it refers to."""

    id: str
    title: str
    unit: str
    tables: tuple[TableSpec, ...]
    inputs: tuple[InputSpec, ...]
    code_lists: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    checks: str = "checks.yaml"
    """The check catalogue file, beside the spec (inherited through `extends`)."""
    text_unit: str = "万元"
    """The unit of amounts in running text (tables may be in another unit: converted half-up)."""
    figures: dict[str, Any] = field(default_factory=dict)
    """Data-driven figure definitions (figure name → definition); empty: the built-in 决算 figures."""
    merge: dict[str, Any] = field(default_factory=dict)
    """How units' workbooks add up to the department's (`genreport merge`, read by merge.py); empty: the defaults."""

    def table(self, table_id: str) -> TableSpec:
        """Return the table spec with this id."""
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)

    def input(self, input_id: str) -> InputSpec:
        """Return the input-sheet spec with this id."""
        for item in self.inputs:
            if item.id == input_id:
                return item
        raise KeyError(input_id)

    @property
    def sheet_names(self) -> list[str]:
        """Return every sheet name the workbook must have, in workbook order."""
        return [i.sheet for i in self.inputs[:1]] + [t.sheet for t in self.tables] + [
            i.sheet for i in self.inputs[1:]
        ]


def load_spec(name: str = "standard") -> WorkbookSpec:
    """Return the spec called name (a bundled spec name or a path to a YAML file), re-read after an edit."""
    path = spec_path(name)
    specs = {*path.parent.glob("*.yaml"), *specs_dir().glob("*.yaml"), path}  # `extends:` looks in both
    return _load_spec(path, file_stamp(*sorted(specs)))


@lru_cache(maxsize=16)
def _load_spec(path: Path, _stamp: tuple) -> WorkbookSpec:
    """Return the spec at path; _stamp (the specs' sizes and times, `extends:` included) keys the cache."""
    data = _load_yaml(path)
    try:
        spec = _build_spec(data, path)
    except (KeyError, TypeError, ValueError) as exc:
        raise SpecError(f"工作簿说明文件 {shown(path)} 有误：{exc}") from None
    for table in spec.tables:
        problem = header_problem(table)
        if problem:
            raise SpecError(f"{shown(path)} 中 tables 里 id 为 {table.id} 的表的 header：{problem}")
    from .figlang import figure_problem

    problem = figure_problem(spec)
    if problem:
        raise SpecError(f"{shown(path)} 中 {problem}")
    return spec


load_spec.cache_clear = _load_spec.cache_clear  # type: ignore[attr-defined]  # callers may still drop the cache


def _load_yaml(path: Path) -> dict[str, Any]:
    """Return the spec data at path, validated, with `extends:` resolved against the spec it names."""
    from .specschema import PARTIAL, SpecFile

    data = load_yaml(path, "工作簿说明文件")
    extends = isinstance(data, dict) and "extends" in data
    validate_as(data, PARTIAL if extends else SpecFile, path)
    if extends:
        _check_described_once(data, path)
        data = _extend(_load_yaml(spec_path(data["extends"], near=path.parent)), data)
        validate_as(data, SpecFile, path)
    return _ordered(data)


def _check_described_once(child: dict[str, Any], path: Path) -> None:
    """Raise SpecError when an extending spec gives a table's header without its columns, or the reverse.

    A table's header and its columns are one description, left to right: the reader, the blank workbook and
    the printed table all take the column order from it. Inheriting one and replacing the other could label
    a sheet one way and read it another.
    """
    for table in child.get("tables", []):
        given = [key for key in ("header", *COLUMN_KEYS) if key in table and _has_columns(key, table[key])]
        if given and (given == ["header"] or "header" not in given):
            raise SpecError(f"工作簿说明文件 {shown(path)} 中的表 {table.get('id')} 只改了"
                            f"{'表头（header）' if 'header' in given else '列（' + '、'.join(given) + '）'}："
                            "表头和各列是同一个描述，请在同一处写出两者，各列按表头从左到右的顺序排列。")


def _has_columns(key: str, value: Any) -> bool:
    """Return True unless value is an 经济分类 table's blocks: lists of 科目 (rows), not columns."""
    return key != "blocks" or any(isinstance(block, dict) for block in value or ())


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """Return data with its tables in `table_order` (when given): the workbook's sheets and the report follow it."""
    if "table_order" not in data:
        return data
    by_id = {t["id"]: t for t in data["tables"]}
    missing = [i for i in data["table_order"] if i not in by_id]
    if missing or len(data["table_order"]) != len(by_id):
        raise SpecError(f"table_order 应把全部表各列一次（{'、'.join(by_id)}），"
                        f"实际是：{'、'.join(map(str, data['table_order']))}")
    return {**data, "tables": [by_id[i] for i in data["table_order"]]}


def _extend(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Return base updated by child: tables and inputs are merged by id, key by key; order by table_order."""
    merged = {**base, **{k: v for k, v in child.items() if k not in ("tables", "inputs", "extends")}}
    merged["figures"] = _merge_deep(base.get("figures") or {}, child.get("figures") or {})
    merged["tables"] = _merge_by_id(base["tables"], child.get("tables", []))
    merged["inputs"] = _merge_by_id(base["inputs"], child.get("inputs", []))
    merged["inputs"] = [i for i in merged["inputs"] if i["id"] not in set(child.get("remove_inputs", []))]
    if "merge" in base and "merge" in child:  # the 汇总 rules: a child changes some rules, keeps the others
        merged["merge"] = {**base["merge"], **child["merge"],
                           **{k: {**base["merge"].get(k, {}), **child["merge"][k]}
                              for k in ("fields", "lists") if k in child["merge"]}}
    merged.pop("table_order", None)
    if "table_order" in child:
        merged["table_order"] = child["table_order"]
    return merged


def _merge_deep(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Return base with changes merged in: a group of figures key by key, anything else replaced."""
    merged = dict(base)
    for key, value in changes.items():
        both = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = _merge_deep(merged[key], value) if both else value
    return merged


def _merge_by_id(base: list[dict[str, Any]], changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge changes into base by id, key by key; `add_fields:` appends rows to an inherited form's fields."""
    merged = [dict(item) for item in base]
    index = {item["id"]: item for item in merged}
    for change in changes:
        change = dict(change)
        added = change.pop("add_fields", [])
        if change["id"] in index:
            index[change["id"]].update(change)
            if added:
                index[change["id"]]["fields"] = [*index[change["id"]].get("fields", []), *added]
        else:
            merged.append(dict(change))
    return merged


def _build_spec(data: dict[str, Any], path: Path) -> WorkbookSpec:
    unit = _unit(data.get("unit", DEFAULT_UNIT))
    tables = tuple(_build_table(t, f"tables/{i}", unit) for i, t in enumerate(data["tables"]))
    inputs = tuple(_build_input(s, f"inputs/{i}", unit) for i, s in enumerate(data["inputs"]))
    return WorkbookSpec(
        id=data["id"],
        title=data.get("title", ""),
        unit=unit,
        tables=tables,
        inputs=inputs,
        code_lists=dict(data.get("code_lists", {})),
        path=path,
        checks=data.get("checks", "checks.yaml"),
        text_unit=_unit(data.get("text_unit", DEFAULT_UNIT)),
        figures=dict(data.get("figures") or {}),
        merge=dict(data.get("merge") or {}),
    )


def _unit(name: str) -> str:
    unit_factor(name)
    return name


def _build_table(data: dict[str, Any], where: str, unit: str = DEFAULT_UNIT) -> TableSpec:
    layout = data["layout"]
    header = tuple(tuple(_header_cell(c) for c in row) for row in data["header"])
    blocks: tuple[Block, ...] = ()
    if layout == "lines":
        blocks = tuple(_lines_block(b) for b in data["blocks"])
    elif layout == "econ":
        columns = tuple(_column(c, where) for c in data["block_columns"])
        blocks = tuple(
            Block(id=f"b{i}", columns=columns, codes=tuple((str(c), n) for c, n in codes))
            for i, codes in enumerate(data["blocks"])
        )
    table = _printable(TableSpec(
        id=data["id"],
        sheet=data["sheet"],
        number=data.get("number", ""),
        title=data["title"],
        layout=layout,
        header=header,
        heading=str(data.get("heading") or ""),
        note=data.get("note", ""),
        empty_note=data.get("empty_note", ""),
        domain=data.get("domain"),
        landscape=bool(data.get("landscape", False)),
        unit=_unit(data.get("unit", unit)),
        columns=tuple(_column(c, where) for c in data.get("columns", ())),
        blocks=blocks,
        totals=tuple(_total(t) for t in data.get("totals", ())),
        total_row=data.get("total_row", "top"),
        total_label=str(data.get("total_label", "合计")),
        omit_blank_lines=bool(data.get("omit_blank_lines", False)),
        optional=bool(data.get("optional", False)),
        number_format=_number_format(data, where),
        code_columns=data.get("code_columns", "one"),
        code_parents=data.get("code_parents", "show"),
        print_header=tuple(tuple(_header_cell(c) for c in row) for row in data.get("print_header", ())),
        empty_rows=_empty_rows(data.get("empty_rows", 0), f"{where}/empty_rows"),
    ), where)
    return table


def _printable(table: TableSpec, where: str) -> TableSpec:
    """Return table when its printed header fits its printed columns (split codes need a print_header)."""
    if table.code_columns == "split" and (table.layout != "coded" or not table.print_header):
        raise ValueError(f"{where}/code_columns: 分列的科目编码（split）只用于 coded 表，并须写 print_header（印出的表头）")
    if not table.print_header:  # the sheet's header is checked against the table's columns (header_problem)
        return table
    try:
        header_grid(table.printed_header, len(table.print_columns_in_order))
    except ValueError as exc:
        raise ValueError(f"{where}/print_header: {exc}") from None
    return table


def _empty_rows(value: Any, where: str) -> str | int:
    if value == "total" or (isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100):
        return value
    raise ValueError(f"{where}: 应为 total（一行空白合计）或空白行数（0 至 100），实际是 {value!r}")


def _header_cell(raw: Any) -> HeaderCell:
    if isinstance(raw, dict):
        return HeaderCell(str(raw["text"]), int(raw.get("colspan", 1)), int(raw.get("rowspan", 1)),
                          tuple(str(t) for t in raw.get("formerly", ())))
    return HeaderCell("" if raw is None else str(raw))


def _column(raw: dict[str, Any], where: str) -> Column:
    return Column(id=raw["id"], role=raw["role"], width=int(raw.get("width", 14)),
                  number_format=_number_format(raw, f"{where}/columns/{raw['id']}"))


def _number_format(raw: dict[str, Any], where: str) -> tuple[tuple[str, Any], ...]:
    """Return the number_format changes of a table or column as sorted items, checked (ValueError names where)."""
    changes = raw.get("number_format") or {}
    try:
        NumberFormat().updated(changes)
    except ValueError as exc:
        raise ValueError(f"{where}/{exc}") from None
    return tuple(sorted(changes.items()))


def _lines_block(raw: dict[str, Any]) -> Block:
    lines = tuple(
        Line(id=item[0], label=item[1] or "", no=int(item[2]), code=item[3] if len(item) > 3 else None)
        for item in raw["lines"]
    )
    return Block(id=raw["id"], columns=tuple(_column(c, raw["id"]) for c in raw["columns"]), lines=lines,
                 numbering=str(raw.get("numbering", "")))


def _total(raw: dict[str, Any]) -> Total:
    return Total(
        id=raw["id"],
        label=raw["label"],
        classes=tuple(str(c) for c in raw["classes"]),
        label_block=int(raw["label_block"]),
        value_block=int(raw["value_block"]),
    )


def _build_input(data: dict[str, Any], where: str, unit: str = DEFAULT_UNIT) -> InputSpec:
    raw_fields = data["fields"] if data["layout"] == "form" else data["columns"]
    fields = []
    for raw in raw_fields:
        fields.append(
            Field(
                id=raw["id"],
                label=raw.get("label") or raw.get("header", raw["id"]),
                formerly=tuple(raw.get("formerly", ())),
                type=raw.get("type", "text"),
                required=bool(raw.get("required", False)),
                hint=raw.get("hint", ""),
                options=tuple(raw.get("options", ())),
                default=raw.get("default"),
                width=int(raw.get("width", 14)),
                carry=raw.get("carry"),
                unit=_unit(raw.get("unit", unit)),
            )
        )
    names = [n for f in fields for n in dict.fromkeys((f.label, *f.formerly))]
    twice = next((n for n in names if names.count(n) > 1), None)
    if twice is not None:
        raise ValueError(f"{where}（{data['id']}）中“{twice}”是两个项目的名称或旧名称（formerly），读取时无法区分")
    return InputSpec(id=data["id"], sheet=data["sheet"], layout=data["layout"], title=data.get("title", ""),
                     fields=tuple(fields), optional=bool(data.get("optional", False)))


def header_problem(spec: TableSpec) -> str | None:
    """Return what is wrong with a table's header (a row wider or narrower than the table), None when it fits."""
    try:
        placed = header_grid(spec.header, spec.width)
    except ValueError as exc:
        return str(exc)
    for r in range(len(spec.header)):
        covered = {c + dc for row, c, cell in placed if row <= r < row + cell.rowspan for dc in range(cell.colspan)}
        if len(covered) != spec.width:
            return f"表头第{r + 1}行（含上面跨行的格）共{len(covered)}列，表格有{spec.width}列"
    return None


def header_grid(header: tuple[tuple[HeaderCell, ...], ...], width: int) -> list[tuple[int, int, HeaderCell]]:
    """Return (row, col, cell) positions (0-based) of a header laid out like an HTML table."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(header):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
        if c > width:
            raise ValueError(f"表头第{r + 1}行有{c}列，超过表格宽度{width}列")
    return placed
