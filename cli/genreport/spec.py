"""The workbook spec: YAML in workbook_specs/ loaded into frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .units import DEFAULT_UNIT, unit_factor
from .errors import SpecError
from .resources import file_stamp, spec_path, specs_dir
from .yamlfile import load_yaml, shown, validate_as

LAYOUTS = ("lines", "coded", "econ", "record")
ROLES = ("code", "name", "label", "lineno", "money")
FIELD_TYPES = ("text", "paragraphs", "money", "count", "year", "choice")


@dataclass(frozen=True)
class HeaderCell:
    """One cell of a printed header grid; spans follow HTML tables."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Column:
    """One sheet column of a table: its id, its role and its Excel width."""

    id: str
    role: str
    width: int = 14


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
    note: str = ""
    empty_note: str = ""
    domain: str | None = None
    landscape: bool = False
    unit: str = "万元"
    columns: tuple[Column, ...] = ()
    blocks: tuple[Block, ...] = ()
    totals: tuple[Total, ...] = ()
    print_columns: tuple[str, ...] = ()
    total_row: str = "top"
    total_label: str = "合计"
    """The label of a coded table's total row: written in the blank workbook, recognised when reading, printed."""
    omit_blank_lines: bool = False
    """Two-sided tables: print only the 科目 lines that have an amount (and no filler), totals still paired."""
    optional: bool = False
    """A workbook may lack the table's sheet (one made before the table was added): it then reads as blank."""

    @property
    def print_columns_in_order(self) -> tuple[Column, ...]:
        """Return the columns as the printed table shows them (print_columns reorders a coded or record table)."""
        if self.blocks:
            return tuple(c for b in self.blocks for c in b.columns)
        if not self.print_columns:
            return self.columns
        by_id = {c.id: c for c in self.columns}
        return tuple(by_id[i] for i in self.print_columns)

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
    from .figspec import figure_problem

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
        data = _extend(_load_yaml(spec_path(data["extends"], near=path.parent)), data)
        validate_as(data, SpecFile, path)
    return _ordered(data)


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
    return TableSpec(
        id=data["id"],
        sheet=data["sheet"],
        number=data.get("number", ""),
        title=data["title"],
        layout=layout,
        header=header,
        heading=data.get("heading") or data["title"],
        note=data.get("note", ""),
        empty_note=data.get("empty_note", ""),
        domain=data.get("domain"),
        landscape=bool(data.get("landscape", False)),
        unit=_unit(data.get("unit", unit)),
        columns=tuple(_column(c, where) for c in data.get("columns", ())),
        blocks=blocks,
        totals=tuple(_total(t) for t in data.get("totals", ())),
        print_columns=_print_columns(data, where),
        total_row=data.get("total_row", "top"),
        total_label=str(data.get("total_label", "合计")),
        omit_blank_lines=bool(data.get("omit_blank_lines", False)),
        optional=bool(data.get("optional", False)),
    )


def _print_columns(data: dict[str, Any], where: str) -> tuple[str, ...]:
    ids = tuple(str(i) for i in data.get("print_columns", ()))
    known = {c["id"] for c in data.get("columns", ())}
    unknown = [i for i in ids if i not in known]
    if unknown or (ids and len(ids) != len(known)):
        raise ValueError(f"{where}/print_columns: 应列出全部列且只列一次，未知的列：{'、'.join(unknown) or '无'}")
    return ids


def _header_cell(raw: Any) -> HeaderCell:
    if isinstance(raw, dict):
        return HeaderCell(str(raw["text"]), int(raw.get("colspan", 1)), int(raw.get("rowspan", 1)))
    return HeaderCell("" if raw is None else str(raw))


def _column(raw: dict[str, Any], where: str) -> Column:
    return Column(id=raw["id"], role=raw["role"], width=int(raw.get("width", 14)))


def _lines_block(raw: dict[str, Any]) -> Block:
    lines = tuple(
        Line(id=item[0], label=item[1] or "", no=int(item[2]), code=item[3] if len(item) > 3 else None)
        for item in raw["lines"]
    )
    return Block(id=raw["id"], columns=tuple(_column(c, raw["id"]) for c in raw["columns"]), lines=lines)


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
