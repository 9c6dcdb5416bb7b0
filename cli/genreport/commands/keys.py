"""genreport template keys: the paragraph keys the 文字调整 sheet accepts, with the first words of each."""

from __future__ import annotations

from pathlib import Path

import click

from .template import template_group


@template_group.command("keys")
@click.option("--profile", default=None, metavar="样式", help="报告样式（地区版式），默认 central；用 genreport profiles 查看。")
@click.option("--template", type=click.Path(path_type=Path), envvar="GENREPORT_TEMPLATE", default=None,
              help="列出自定义 Word 模板中的段落编号（也可用环境变量 GENREPORT_TEMPLATE 指定）。")
def keys_command(profile: str | None, template: Path | None) -> None:
    """列出“文字调整”工作表可用的段落编号，以及每段的开头文字。

    \b
    示例：
      genreport template keys
      genreport template keys --profile <样式编号>
      genreport template keys --template 我的模板/report.docx
    """
    from ..api import template_keys

    heading = None
    for info in template_keys(profile, template):
        if info.heading != heading:
            heading = info.heading
            click.echo(heading or "（正文开头）")
        click.echo(f"  {info.key:<18} {info.opening}")
    click.echo("在“文字调整”表的“段落编号”列填左边的编号；循环中的段落按序号区分，如 s5.3.item.3 是第 3 项。")
