"""genreport absorb: carry an editor's Word edits back into the workbook's 文字调整 sheet."""

from __future__ import annotations

from pathlib import Path

import click

from .group import cli


@cli.command("absorb")
@click.argument("document", type=click.Path(path_type=Path))
@click.argument("workbook", type=click.Path(path_type=Path), required=False, metavar="[工作簿]")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="写入的工作簿副本路径。默认：原工作簿旁的“<工作簿>.已吸收.xlsx”。")
@click.option("--in-place", is_flag=True, help="直接写回原工作簿（先在旁边另存一份“.备份<时间>.xlsx”）。")
@click.option("--template", type=click.Path(path_type=Path), envvar="GENREPORT_TEMPLATE", default=None,
              help="生成这份文档时用的自定义 Word 模板或样式文件夹（与生成时相同）。")
def absorb_command(document: Path, workbook: Path | None, output: Path | None, in_place: bool,
                   template: Path | None) -> None:
    """把编辑在 Word/WPS 中对报告的改动写回工作簿的“文字调整”表。

    与工作簿现在生成的文档逐段对比：改写、删去的情况说明段落和新加的段落写入“文字调整”表
    （默认写入副本“<工作簿>.已吸收.xlsx”，原工作簿不动）；表格数字的改动列出对应的工作簿单元格，
    不吸收；格式改动、固定文字的改动和批注列为“没有吸收”。文档中还有未处理的修订时不吸收。
    之后改了工作簿的数字，genreport check 会提示吸收的文字中哪些数已经过时。

    \b
    示例：
      genreport absorb 编辑后.docx 工作簿.xlsx
      genreport absorb 编辑后.docx 工作簿.xlsx -o 新工作簿.xlsx
      genreport absorb 编辑后.docx 工作簿.xlsx --in-place
    """
    from ..api import absorb_edits
    from ..collector import collector_paused
    from ..visible import printable

    if in_place and output is not None:
        raise click.UsageError("--in-place 与 -o 只能选一个。")
    with collector_paused():
        absorbed = absorb_edits(document, workbook, output, in_place=in_place, template=template)
    click.echo(printable(absorbed.to_text()))
