"""genreport import: read a published report (PDF or Word) back into its profile's workbook."""

from __future__ import annotations

from pathlib import Path

import click

from .group import cli


@cli.command("import")
@click.argument("publication", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="导入后写出的工作簿（.xlsx）。")
@click.option("--profile", default=None, metavar="样式",
              help="报告样式；默认按文档中的表名和表头自动识别（genreport profiles 查看可用样式）。")
def import_command(publication: Path, output: Path, profile: str | None) -> None:
    """把已公开的部门决算（预算）PDF 或 Word 文档读回标准工作簿：封面、九张表和情况说明中写出的输入数，每个数都批注所在页码。

    扫描件（没有文字层的 PDF）无法读取。导入后可以检查、修改、生成，或作为下一年 init --from 的底稿。

    \b
    示例：
      genreport import 2024年部门决算.pdf -o 2024年部门决算.xlsx
      genreport import 公开文本.docx --profile central -o 工作簿.xlsx
    """
    from ..api import import_publication
    from ..visible import printable

    done = import_publication(publication, output, profile)
    click.echo(f"已按“{done.profile.title}”导入：{printable(str(done.output))}")
    for title in done.missing_tables:
        click.echo(f"文档中找不到“{title}”，该表留空。")
    click.echo("每个导入的数都批注了所在页码；情况说明中的文字（原因、用途等）和上年数请在输入表中补填。")
