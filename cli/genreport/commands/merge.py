"""genreport merge: add the units' workbooks (本级 and 下属单位) up into the department's workbook."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .group import cli
from .output import print_report

if TYPE_CHECKING:
    from ..api import MergeResult


@cli.command("merge")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="部门工作簿的保存路径（.xlsx，不能是已有文件）。")
@click.option("--main", type=click.Path(path_type=Path), default=None,
              help="本级工作簿（默认：封面“决算类型”填为“部门”的那一份）；汇总后的职责、机构设置等文字取自它。")
@click.option("--name", default=None, metavar="部门名称", help="部门工作簿的部门名称（默认：本级工作簿的部门名称）。")
@click.option("--force", is_flag=True, help="某个单位的工作簿有错误时仍然汇总（读取不了的表除外）。")
def merge_command(inputs: tuple[Path, ...], output: Path, main: Path | None, name: str | None,
                  force: bool) -> None:
    """汇总：把本级和各下属单位的工作簿相加，生成部门的工作簿（可直接检查、生成文档）。

    输入可以是工作簿、文件夹（递归查找 .xlsx）或清单 .txt（每行一个路径），与 batch 相同。
    每份单位工作簿先检查，有错误时不汇总并列出问题。公开表逐格相加（科目按编码合并），
    “三公”、政府采购、资产等数相加，绩效项目等清单依次排列并注明所属单位，文字取自本级；
    部门层面的原因留空并标色，由部门填写。每个汇总数由哪些单位组成，见部门工作簿的“汇总来源”工作表。

    退出码：0 已生成；1 有单位工作簿出错，未汇总；2 不能汇总（年度或样式不同、同一单位两次等）。

    \b
    示例：
      genreport merge 本级.xlsx 下属单位甲.xlsx 下属单位乙.xlsx -o 部门.xlsx
      genreport merge 某局各单位/ -o 某局部门决算工作簿.xlsx --main 某局各单位/本级.xlsx
    """
    from ..api import merge_workbooks
    from ..collector import collector_paused

    with collector_paused():
        result = merge_workbooks(list(inputs), output, main=main, name=name, force=force)
    _print(result)
    sys.exit(result.exit_code)


def _print(result: MergeResult) -> None:
    from ..visible import printable

    for source, unit, report in result.units:
        counts = f"错误 {len(report.errors)} 处，警告 {len(report.warnings)} 处"
        click.echo(f"{printable(unit)}（{printable(source.name)}）：{counts}")
    merged = result.merged
    if result.output is None or merged is None:
        for _, _, report in result.units:
            if not report.valid:
                click.echo("")
                print_report(report, show_info=False)
        click.echo("有单位的工作簿有错误，未汇总：请改正后再汇总（或加 --force）。")
        return
    click.echo("")
    click.echo(totals_table(result))
    if merged.flows:
        click.echo("\n单位之间的往来（简单汇总未抵销，请核对）：")
        for unit, line, amount in merged.flows:
            click.echo(f"  {printable(unit)}：{line} {amount:,.2f} {result.unit}")
    asked = _asked_sheets(result)
    if asked:
        click.echo(f"\n需由部门填写（已标色）：{'、'.join(asked)}。")
    click.echo(f"\n已生成部门工作簿：{printable(str(result.output))}（各数的来源见“汇总来源”工作表）")
    click.echo(f"部门名称：{printable(merged.data['forms']['profile'].get('dept_name') or '')}"
               "（可用 --name 指定）；请检查并填好标色的单元格后生成文档。")


def totals_table(result: MergeResult) -> str:
    """Return the per-unit totals as an aligned table: one row per unit, then the department's."""
    from ..visible import display_width, printable

    merged = result.merged
    if merged is None:
        return ""
    header = ["单位", *(label for label, _, _ in merged.totals)]
    rows = [header]
    for i, (_, unit, _) in enumerate(result.units):
        rows.append([printable(unit) + ("（本级）" if i == 0 else ""),
                     *(_money(values[i]) for _, values, _ in merged.totals)])
    rows.append(["汇总", *(_money(total) for _, _, total in merged.totals)])
    widths = [max(display_width(r[c]) for r in rows) for c in range(len(header))]
    lines = [f"各单位总数（{result.unit}）："]
    for row in rows:
        cells = [row[0] + " " * (widths[0] - display_width(row[0]))]
        cells += [" " * (w - display_width(v)) + v for v, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells))
    return "\n".join(lines)


def _money(value: object) -> str:
    return "" if value is None else f"{value:,.2f}"


def _asked_sheets(result: MergeResult) -> list[str]:
    """Return “工作表（项目、项目等）” for each sheet with cells left for the department."""
    found: dict[str, list[str]] = {}
    for sheet, label in result.merged.asked_fields if result.merged else []:
        if label not in found.setdefault(sheet, []):
            found[sheet].append(label)
    return [f"“{sheet}”（{'、'.join(labels[:3])}{'等' if len(labels) > 3 else ''}）" for sheet, labels in found.items()]
