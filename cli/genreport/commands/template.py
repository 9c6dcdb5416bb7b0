"""genreport template export / check: templates editors adapt in Word."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .group import cli


@cli.group("template")
def template_group() -> None:
    """导出和检查 Word 模板（编辑按本单位格式修改模板时使用）。"""


@template_group.command("export")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--profile", default=None, help="导出哪个报告样式（默认样式；genreport profiles 列出全部）。")
def export_command(folder: Path, profile: str | None) -> None:
    """把一个样式的 Word 模板、句式宏、工作簿说明、名词解释和样式文件复制到文件夹，供编辑修改。

    导出的文件夹就是一个完整的样式：改好后用 --template 文件夹 生成，其中的全部文件都会生效。
    已有同名文件时不导出（不会覆盖编辑过的文件）。

    \b
    示例：
      genreport template export 我的模板/
      genreport template export --profile 样式编号 新样式/      （样式编号见 genreport profiles）
      genreport 工作簿.xlsx --template 我的模板/
    """
    from ..api import export_template

    for path in export_template(folder, profile):
        click.echo(f"已导出：{path}")
    click.echo(f"修改后先运行 genreport template check {folder} 检查，再用 --template {folder} 生成。")


@template_group.command("check")
@click.argument("template", type=click.Path(path_type=Path))
def check_command(template: Path) -> None:
    """检查模板：Jinja 语法错误、未知的变量和过滤器、会被 docxtpl 静默丢弃的标签，均给出位置。

    \b
    示例：
      genreport template check 我的模板/report.docx
      genreport template check 我的模板/
    退出码：0 没有问题；1 有问题；2 文件无法读取。
    """
    from ..api import lint_template, template_of_folder

    template = template_of_folder(template)
    findings = lint_template(template)
    for finding in findings:
        click.echo(f"{finding.where}：{finding.message} [{finding.code}]")
    click.echo(f"{template.name}：发现 {len(findings)} 个问题。" if findings else f"{template.name}：未发现问题。")
    sys.exit(1 if findings else 0)
