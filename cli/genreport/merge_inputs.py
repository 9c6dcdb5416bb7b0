"""Which unit workbooks may be merged into one department's, and in what order (本级 first); refusals in one sentence."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import GenreportError, OutputError
from .filenames import same_file
from .visible import printable
from .merge import Unit
from .model import Workbook


def refuse_target(target: Path, sources: Sequence[Path]) -> None:
    """Raise unless target is a new .xlsx path that is none of the inputs (a merge never replaces a file)."""
    if target.suffix.lower() != ".xlsx":
        raise OutputError.of("输出文件“{file}”应以 .xlsx 结尾（部门工作簿）。", file=_shown(target))
    if any(same_file(target, source) for source in sources):
        raise OutputError.of("输出文件“{file}”就是要汇总的工作簿之一，为避免覆盖它，请另选文件名。", file=_shown(target))
    if target.exists():
        raise OutputError.of("“{file}”已存在，为避免覆盖，请换一个文件名或先删除它。", file=_shown(target))


def refuse_merged(source: Path) -> None:
    """Raise when source was itself written by `genreport merge` (a department is not a unit)."""
    raise GenreportError.of("“{name}”是汇总生成的部门工作簿，不能再作为单位参加汇总，请改用各单位自己的工作簿。",
                            name=_name(source))


def refuse_mixed(sources: Sequence[Path], profiles: Sequence[Any]) -> None:
    """Raise when the workbooks are of different profiles (报告样式)."""
    first = profiles[0]
    for source, profile in zip(sources, profiles):
        if profile.id != first.id or profile.root != first.root:
            raise GenreportError.of("“{first}”是{first_style}，“{name}”是{style}，报告样式不同的工作簿不能汇总。",
                                    first=_name(sources[0]), first_style=first.title, name=_name(source),
                                    style=profile.title)


def order_units(sources: Sequence[Path], books: Sequence[Workbook], rules: dict[str, Any],
                main: Path | None = None) -> list[Unit]:
    """Return the units, the 本级 first, after refusing different years, a unit twice and two 本级.

    The 本级 is main when given, else the one workbook marked as the department (the spec's `{value: …}` rule,
    e.g. 决算类型 = 部门).
    """
    names = [b.dept_name.strip() or s.stem for s, b in zip(sources, books)]
    _refuse_years(sources, books)
    _refuse_twice(sources, names)
    index = _main_index(sources, books, rules, main)
    order = [index, *(i for i in range(len(books)) if i != index)]
    return [Unit(books[i], names[i], i == index) for i in order]


def _refuse_years(sources: Sequence[Path], books: Sequence[Workbook]) -> None:
    for source, book in zip(sources, books):
        if book.year != books[0].year:
            raise GenreportError.of("“{first}”是{first_year}年度，“{name}”是{year}年度，不同年度的工作簿不能汇总。",
                                    first=_name(sources[0]), first_year=books[0].year or "未填", name=_name(source),
                                    year=book.year or "未填")


def _refuse_twice(sources: Sequence[Path], names: Sequence[str]) -> None:
    seen: dict[Any, int] = {}
    for i, source in enumerate(sources):
        digest = _digest(source)
        for key in [("name", "".join(names[i].split())), *([("bytes", digest)] if digest else [])]:
            if key in seen:
                first = seen[key]
                raise GenreportError.of("“{unit}”出现了两次（{first}、{name}），同一单位只能汇总一次，请去掉其中一份。",
                                        unit=printable(names[i]), first=_name(sources[first]), name=_name(source))
            seen[key] = i


def _main_index(sources: Sequence[Path], books: Sequence[Workbook], rules: dict[str, Any],
                main: Path | None) -> int:
    if main is not None:
        found = [i for i, s in enumerate(sources) if same_file(s, main)]
        if not found:
            raise GenreportError.of("--main 指定的“{file}”不在要汇总的工作簿中，请把它也列入输入。", file=_shown(main))
        return found[0]
    marks = {k: v["value"] for k, v in rules.get("fields", {}).items() if isinstance(v, dict) and "value" in v}
    marked = [i for i, b in enumerate(books) if marks and all(_value(b, k) == v for k, v in marks.items())]
    what = "、".join(f"{_label(books[0], k)}为“{v}”" for k, v in marks.items())
    if len(marked) > 1:
        units = {f"unit{n}": _name(sources[i]) for n, i in enumerate(marked)}
        raise GenreportError.of("、".join(f"“{{{key}}}”" for key in units) + "都是本级（{what}），只能有一份本级工作簿："
                                "请把下属单位的改为单位，或用 --main 指明本级。", what=what, **units)
    if not marked:
        raise GenreportError.of("没有本级工作簿（{what}）：请在本级工作簿的封面这样填写，或用 --main 指明本级。", what=what)
    return marked[0]


def _shown(path: Path) -> Path:
    """Return a path as a sentence's field, printable (invisible characters escaped)."""
    return Path(printable(str(path)))


def _name(path: Path) -> Path:
    """Return a file's name as a sentence's field, printable."""
    return Path(printable(path.name))


def _value(book: Workbook, ref: str) -> Any:
    input_id, _, field_id = ref.partition(".")
    return book.value(input_id, field_id)


def _label(book: Workbook, ref: str) -> str:
    input_id, _, field_id = ref.partition(".")
    try:
        return book.spec.input(input_id).field(field_id).label
    except KeyError:
        return ref


def _digest(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
