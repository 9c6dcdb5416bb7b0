"""The keys of a workbook spec file (workbook_specs/*.yaml) as msgspec types.

`spec.load_spec` validates every file against SpecFile with yamlfile.validate_as: a misspelt key, a
missing one, a wrong type or a value outside its choices (layout, role, type, total_row) is one Chinese
sentence naming the file and key path. A file that `extends:` another is checked against PARTIAL, the
same types with every key optional; the merged result is then checked against SpecFile.
"""

from __future__ import annotations

import typing
from typing import Any, Literal, Union

import msgspec


class _Keys(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class NumberFormatDef(_Keys, kw_only=True):
    """How amounts print (amounts.NumberFormat): in a table or a column, the keys it changes."""

    decimals: Union[int, str, None] = None
    thousands: Union[bool, None] = None
    zero: Union[str, int, None] = None
    blank: Union[str, None] = None


class ColumnDef(_Keys, kw_only=True):
    """A table column: its id, role, width and number format."""

    id: str
    role: Literal["code", "name", "label", "lineno", "money"]
    width: int = 14
    number_format: Union[NumberFormatDef, None] = None


class HeaderCellDef(_Keys, kw_only=True):
    """A header cell spanning columns or rows."""

    text: Union[str, int]
    colspan: int = 1
    rowspan: int = 1
    formerly: list[Union[str, int]] = []
    """Texts this cell had in earlier versions of the spec: a workbook made then is still read."""


class BlockDef(_Keys, kw_only=True):
    """One side of a fixed-line table: its columns and lines ([id, label, no, code])."""

    id: str
    columns: list[ColumnDef]
    lines: list[list[Any]]
    numbering: str = ""


class TotalDef(_Keys, kw_only=True):
    """A footer total of an economic-classification table."""

    id: str
    label: str
    classes: list[Union[str, int]]
    label_block: int
    value_block: int


class TableDef(_Keys, kw_only=True):
    """A 公开 table."""

    id: str
    sheet: str
    number: str = ""
    title: str
    heading: str = ""
    layout: Literal["lines", "coded", "econ", "record"]
    note: str = ""
    empty_note: str = ""
    domain: Union[str, None] = None
    landscape: bool = False
    total_row: Literal["top", "bottom"] = "top"
    total_label: str = "合计"
    unit: str = ""
    omit_blank_lines: bool = False
    optional: bool = False
    number_format: Union[NumberFormatDef, None] = None
    code_columns: Literal["one", "split"] = "one"
    code_parents: Literal["show", "blank"] = "show"
    print_header: list[list[Union[str, int, HeaderCellDef]]] = []
    empty_rows: Union[int, str] = 0
    header: list[list[Union[str, int, HeaderCellDef]]]
    columns: list[ColumnDef] = []
    block_columns: list[ColumnDef] = []
    blocks: list[Union[BlockDef, list[Any]]] = []
    totals: list[TotalDef] = []


class FieldDef(_Keys, kw_only=True):
    """A field of a form input, or a column of a list input."""

    id: str
    label: str = ""
    header: str = ""
    formerly: list[str] = []
    """Labels (headers) this field had in earlier versions of the spec: a workbook made then is still read."""
    type: Literal["text", "paragraphs", "money", "count", "year", "choice"] = "text"
    required: bool = False
    hint: str = ""
    options: list[str] = []
    default: Union[str, int, None] = None
    width: int = 14
    carry: Union[str, None] = None
    unit: str = ""


class InputDef(_Keys, kw_only=True):
    """An input sheet: a form (one field a row) or a list (records under a header)."""

    id: str
    sheet: str
    layout: Literal["form", "list"]
    title: str = ""
    optional: bool = False
    fields: list[FieldDef] = []
    columns: list[FieldDef] = []
    add_fields: list[FieldDef] = []


class MergeDef(_Keys, kw_only=True):
    """How units' workbooks add up to the department's (`genreport merge`): rules by field and list."""

    fields: dict[str, Union[str, dict[str, Any]]] = {}
    lists: dict[str, Union[str, dict[str, Any]]] = {}
    unit_line: str = ""
    flows: list[str] = []
    totals: dict[str, str] = {}


class SpecFile(_Keys, kw_only=True):
    """Every key a workbook spec file may have."""

    id: str
    title: str = ""
    version: int = 1
    unit: str = ""
    text_unit: str = ""
    figures: dict[str, Any] = {}
    merge: Union[MergeDef, None] = None
    code_lists: dict[str, str] = {}
    checks: str = ""
    extends: str = ""
    table_order: list[str] = []
    remove_inputs: list[str] = []
    tables: list[TableDef]
    inputs: list[InputDef]


def _partial(kind: type, made: dict[type, type]) -> type:
    """Return kind with every key optional, its nested Struct types made partial too."""
    if kind in made:
        return made[kind]
    hints = typing.get_type_hints(kind)
    fields = [(f.name, _partial_type(hints[f.name], made), None) for f in msgspec.structs.fields(kind)]
    made[kind] = msgspec.defstruct(f"Partial{kind.__name__}", fields, forbid_unknown_fields=True, kw_only=True,
                                   module=__name__)
    return made[kind]


def _partial_type(annotation: Any, made: dict[type, type]) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return Union[_partial(annotation, made), None]
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list:
        return list[_partial_type(args[0], made)]  # type: ignore[misc]
    if origin is Union:
        return Union[tuple(_partial_type(a, made) for a in args) + (type(None),)]  # type: ignore[misc]
    if origin is dict or origin is Literal or annotation is Any:
        return Union[annotation, None]
    return Union[annotation, None]


PARTIAL = _partial(SpecFile, {})
"""SpecFile with every key optional: a file that `extends:` another may leave any key out."""
