"""genreport init: write the blank standard workbook."""

from __future__ import annotations

from pathlib import Path

import click

from .group import cli


@cli.command("init")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("部门决算工作簿.xlsx"),
              show_default=True, help="新工作簿的保存路径。")
@click.option("--from", "last_year", type=click.Path(path_type=Path), default=None,
              help="上年的工作簿：带入部门名称、职责、机构等文字，年度加一，并用上年决算数预填“上年数”工作表。")
@click.option("--profile", default=None, metavar="样式",
              help="报告样式（地区版式），默认 central；用 genreport profiles 查看可用样式。")
def init_command(output: Path, last_year: Path | None, profile: str | None) -> None:
    """生成空白的标准工作簿（每张公开表一个工作表，外加情况说明所需的输入表）。

    \b
    示例：
      genreport init -o 2024年部门决算.xlsx
      genreport init --from 2024年部门决算.xlsx -o 2025年部门决算.xlsx
    """
    from ..api import init_workbook

    written = init_workbook(output, profile=profile, last_year=last_year)
    click.echo(f"已生成{'预填' if last_year else '空白'}工作簿：{written}")
    if last_year:
        click.echo("绿色单元格为从上年工作簿带入的数，请核对。")
    click.echo("请按各工作表的黄色单元格和填写说明填写，填好后运行：genreport check " + str(written))
