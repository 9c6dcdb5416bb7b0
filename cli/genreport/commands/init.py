"""genreport init: write the blank standard workbook."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli


@cli.command("init")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("部门决算工作簿.xlsx"),
              show_default=True, help="新工作簿的保存路径。")
def init_command(output: Path) -> None:
    """生成空白的标准工作簿（每张公开表一个工作表，外加情况说明所需的输入表）。

    \b
    示例：
      genreport init -o 2024年部门决算.xlsx
    """
    from ..api import init_workbook

    written = init_workbook(output)
    click.echo(f"已生成空白工作簿：{written}")
    click.echo("请按各工作表的黄色单元格和填写说明填写，填好后运行：genreport check " + str(written))
