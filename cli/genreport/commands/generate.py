"""genreport WORKBOOK: validate and generate the Word document."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .group import cli
from .output import print_report


@cli.command("generate")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="输出的 .docx 文件路径，或输出文件夹（不存在时自动创建）。默认：当前目录下的“<部门名称><年度>年度部门决算.docx”。")
@click.option("--force", is_flag=True,
              help="工作簿有错误时仍然生成（错误会列出）；输出文件在生成后被编辑过时也覆盖它（旧文件先另存为备份）。")
@click.option("--template", type=click.Path(path_type=Path), envvar="GENREPORT_TEMPLATE", default=None,
              help="使用自定义 Word 模板（.docx），或 genreport template export 导出并修改过的样式文件夹（也可用环境变量 GENREPORT_TEMPLATE 指定）。")
@click.option("--pdf", is_flag=True,
              help="同时生成同名 PDF，并填好目录页码（需要 LibreOffice；未安装时只生成 Word 文档并提示安装方法）。")
@click.option("--toc", is_flag=True, help="用 LibreOffice 填好 Word 文档目录的页码（WPS 打开即可看到；不生成 PDF）。")
def generate_command(workbook: Path, output: Path | None, force: bool, template: Path | None,
                     pdf: bool, toc: bool) -> None:
    """检查工作簿并生成部门决算 Word 文档（有错误时不生成，除非加 --force）。

    \b
    示例：
      genreport 工作簿.xlsx
      genreport 工作簿.xlsx -o 输出目录/
      genreport 工作簿.xlsx -o 报告.docx --force
      genreport 工作簿.xlsx --pdf
    """
    from ..api import generate_report
    from ..collector import collector_paused

    with collector_paused():
        result = generate_report(workbook, output, force=force, template=template, pdf=pdf, toc=toc)
    report = result.report
    if report.issues:
        print_report(report, show_info=False)
    if result.output is None:
        click.echo("工作簿有错误，未生成文档。请按上面的提示修改后重试（或加 --force 强制生成）。", err=True)
        sys.exit(result.exit_code)
    if result.backup is not None:
        click.echo(f"原文件在生成后被编辑过，已另存为：{result.backup}")
    click.echo(f"已生成：{result.output}")
    office = result.office
    if office is not None:
        if office.pdf is not None:
            click.echo(f"已生成：{office.pdf}")
        if office.toc_filled:
            click.echo("目录页码已由 LibreOffice 填好。")
        for note in office.notes:
            click.echo(note, err=True)
    sys.exit(result.exit_code)
