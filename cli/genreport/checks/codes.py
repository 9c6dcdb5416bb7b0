"""科目编码 and 名称: the table's classification domain, the year's code lists, names across tables, parents."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from ..issues import Issue
from ..model import Row, Table, Workbook
from ..resources import file_stamp, spec_file, specs_dir
from ..yamlfile import load_yaml
from . import register
from ..catalogue import Catalogue, catalogue_for
from ..tablecells import code_cell, name_cell

LEVELS = {1: "类", 2: "款", 3: "项"}


@register("codes")
def check_codes(workbook: Workbook) -> Iterator[Issue]:
    """Yield code-domain, code-not-in-list, code-name-*, and h-parent findings for every 科目 row."""
    catalogue = catalogue_for(workbook.spec)
    domains = catalogue.section("codes", {}).get("domains", {})
    first_names: dict[str, tuple[str, str]] = {}
    for table_spec in workbook.spec.tables:
        table = workbook.tables.get(table_spec.id)
        if table is None or not table_spec.domain or table_spec.layout not in ("coded", "econ"):
            continue
        listed = code_list(workbook, table_spec.domain)
        for row in table.rows:
            if not row.code.startswith(domains.get(table_spec.domain, "")):
                variant = "function" if table_spec.domain == "function" else "economic"
                yield catalogue.issue("code-domain", code_cell(table, row), variant=variant, actual=row.code)
                continue
            yield from _listed(catalogue, table, row, listed)
            yield from _consistent(catalogue, table, row, listed, first_names)
            if table_spec.layout == "coded":
                yield from _parent(catalogue, table, row)


def _listed(catalogue: Catalogue, table: Table, row: Row, listed: dict[str, str]) -> Iterator[Issue]:
    if row.code not in listed:
        yield catalogue.issue("code-not-in-list", code_cell(table, row), name=row.name, actual=row.code)
        return
    if table.spec.domain == "function" and listed[row.code] is not None and norm(row.name) != norm(listed[row.code]):
        shown = f"“{row.name}”" if row.name else "空白"
        yield catalogue.issue("code-name-mismatch", name_cell(table, row), code=row.code, shown=shown,
                              expected=listed[row.code], actual=row.name)


def _consistent(catalogue: Catalogue, table: Table, row: Row, listed: dict[str, str],
                first: dict[str, tuple[str, str]]) -> Iterator[Issue]:
    """Report a name that differs from the first table's name for an unlisted code (listed ones: _listed)."""
    if not row.name or table.spec.domain != "function":
        return
    if row.code not in first:
        first[row.code] = (row.name, table.spec.sheet)
        return
    name, sheet = first[row.code]
    if listed.get(row.code) is None and norm(name) != norm(row.name):
        yield catalogue.issue("code-name-inconsistent", name_cell(table, row), code=row.code, first_sheet=sheet,
                              expected=name, actual=row.name)


def _parent(catalogue: Catalogue, table: Table, row: Row) -> Iterator[Issue]:
    if row.level < 2:
        return
    parent = row.code[: 3 if row.level == 2 else 5]
    if table.row(parent) is None:
        yield catalogue.issue("h-parent", code_cell(table, row), level=LEVELS[row.level], code=row.code,
                              name=row.name, parent_level=LEVELS[row.level - 1], expected=parent)


def code_list(workbook: Workbook, domain: str) -> dict[str, str | None]:
    """Return code → name (None: name not checked) of the code list for domain in the workbook's year.

    The spec names the list with a {year} placeholder (codes/{year}/function.yaml); a year without
    its own list uses the latest earlier one (the earliest when the year is older than every list).
    """
    relative = workbook.spec.code_lists.get(domain)
    if not relative:
        return {}
    path = year_path(relative, workbook.year, workbook.spec.path.parent if workbook.spec.path else None)
    return _load_list(path, file_stamp(path))


def year_path(relative: str, year: int | None, near: Path | None = None) -> Path:
    """Return the code list file for year: relative with {year} filled, or the nearest earlier year's.

    The year folders are looked for beside the spec first, then among the bundled lists (resources.spec_file).
    """
    if "{year}" not in relative:
        return spec_file(relative, near)
    head, tail = relative.split("{year}", 1)
    for folder in ([near] if near is not None else []) + [specs_dir()]:
        years = sorted(int(p.name) for p in (folder / head).glob("[0-9]" * 4) if (p / tail.lstrip("/")).is_file())
        if years:
            chosen = max((y for y in years if year is None or y <= year), default=years[0])
            return folder / relative.replace("{year}", str(chosen))
    return spec_file(relative.replace("{year}", str(year)), near)


@lru_cache(maxsize=8)
def _load_list(path: Path, _stamp: tuple) -> dict[str, str | None]:
    """Return the code list at path (with the list it `extends`); _stamp (size and time) makes an edit load again."""
    data = load_yaml(path, "科目编码表", dict)
    base = (path.parent / data["extends"]).resolve() if data.get("extends") else None
    codes = dict(_load_list(base, file_stamp(base))) if base else {}
    codes.update({str(code): None if name is None else str(name) for code, name in (data.get("codes") or {}).items()})
    for code in data.get("removed") or []:
        codes.pop(str(code), None)
    return codes


def norm(text: str) -> str:
    """Return a 科目名称 normalised for comparison: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
