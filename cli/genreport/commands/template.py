"""genreport template export / check: templates editors adapt in Word."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import cli


@cli.group("template")
def template_group() -> None:
    """导出和检查 Word 模板（编辑按本单位格式修改模板时使用）。"""


@template_group.command("export")
@click.argument("folder", type=click.Path(path_type=Path))
def export_command(folder: Path) -> None:
    """把默认模板、工作簿说明和名词解释复制到文件夹，供在 Word/WPS 中修改。

    \b
    示例：
      genreport template export 我的模板/
      genreport 工作簿.xlsx --template 我的模板/report.docx
    """
    from ..api import export_template

    for path in export_template(folder):
        click.echo(f"已导出：{path}")
    click.echo("修改后先运行 genreport template check 检查模板，再用 --template 或环境变量 GENREPORT_TEMPLATE 使用它。")


@template_group.command("check")
@click.argument("template", type=click.Path(path_type=Path))
def check_command(template: Path) -> None:
    """检查模板：Jinja 语法错误、未知的变量和过滤器、会被 docxtpl 静默丢弃的标签，均给出位置。

    \b
    示例：
      genreport template check 我的模板/report.docx
    退出码：0 没有问题；1 有问题；2 文件无法读取。
    """
    from ..api import lint_template

    findings = lint_template(template)
    for finding in findings:
        click.echo(str(finding))
    click.echo(f"{template.name}：发现 {len(findings)} 个问题。" if findings else f"{template.name}：未发现问题。")
    sys.exit(1 if findings else 0)
