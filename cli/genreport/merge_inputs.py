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
        raise OutputError(f"输出文件“{printable(str(target))}”应以 .xlsx 结尾（部门工作簿）。")
    if any(same_file(target, source) for source in sources):
        raise OutputError(f"输出文件“{printable(str(target))}”就是要汇总的工作簿之一，为避免覆盖它，请另选文件名。")
    if target.exists():
        raise OutputError(f"“{printable(str(target))}”已存在，为避免覆盖，请换一个文件名或先删除它。")


def refuse_merged(source: Path) -> None:
    """Raise when source was itself written by `genreport merge` (a department is not a unit)."""
    raise GenreportError(f"“{printable(source.name)}”是汇总生成的部门工作簿，不能再作为单位参加汇总，"
                         "请改用各单位自己的工作簿。")


def refuse_mixed(sources: Sequence[Path], profiles: Sequence[Any]) -> None:
    """Raise when the workbooks are of different profiles (报告样式)."""
    first = profiles[0]
    for source, profile in zip(sources, profiles):
        if profile.id != first.id or profile.root != first.root:
            raise GenreportError(f"“{printable(sources[0].name)}”是{first.title}，“{printable(source.name)}”是"
                                 f"{profile.title}，报告样式不同的工作簿不能汇总。")


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
            raise GenreportError(f"“{printable(sources[0].name)}”是{books[0].year or '未填'}年度，"
                                 f"“{printable(source.name)}”是{book.year or '未填'}年度，不同年度的工作簿不能汇总。")


def _refuse_twice(sources: Sequence[Path], names: Sequence[str]) -> None:
    seen: dict[Any, int] = {}
    for i, source in enumerate(sources):
        digest = _digest(source)
        for key in [("name", "".join(names[i].split())), *([("bytes", digest)] if digest else [])]:
            if key in seen:
                first = seen[key]
                raise GenreportError(f"“{printable(names[i])}”出现了两次（{printable(sources[first].name)}、"
                                     f"{printable(source.name)}），同一单位只能汇总一次，请去掉其中一份。")
            seen[key] = i


def _main_index(sources: Sequence[Path], books: Sequence[Workbook], rules: dict[str, Any],
                main: Path | None) -> int:
    if main is not None:
        found = [i for i, s in enumerate(sources) if same_file(s, main)]
        if not found:
            raise GenreportError(f"--main 指定的“{printable(str(main))}”不在要汇总的工作簿中，请把它也列入输入。")
        return found[0]
    marks = {k: v["value"] for k, v in rules.get("fields", {}).items() if isinstance(v, dict) and "value" in v}
    marked = [i for i, b in enumerate(books) if marks and all(_value(b, k) == v for k, v in marks.items())]
    what = "、".join(f"{_label(books[0], k)}为“{v}”" for k, v in marks.items())
    if len(marked) > 1:
        shown = "、".join(f"“{printable(sources[i].name)}”" for i in marked)
        raise GenreportError(f"{shown}都是本级（{what}），只能有一份本级工作簿：请把下属单位的改为单位，或用 --main 指明本级。")
    if not marked:
        raise GenreportError(f"没有本级工作簿（{what}）：请在本级工作簿的封面这样填写，或用 --main 指明本级。")
    return marked[0]


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
