"""genreport check: validate a workbook, print the report, optionally annotate a copy."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .group import cli
from .output import print_report


@cli.command("check")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="输出格式。")
@click.option("--annotate", "annotate", is_flag=False, flag_value="", default=None, metavar="[路径]",
              help="另存一份标注了问题单元格（红色错误、黄色警告，附批注）的工作簿副本；原文件不会改动。")
@click.option("--no-info", is_flag=True, help="不显示尾差等提示信息。")
@click.option("--profile", "profile", default=None, metavar="样式",
              help="按这个报告样式检查（已安装样式的名称，或 genreport template export 导出的文件夹）；"
                   "默认按工作簿封面记录的样式，已公开的 PDF/Word 文档按其中的表名和表头自动识别。")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, metavar="输出目录",
              help="检查一个文件夹中的全部 PDF/Word 文档时，汇总.xlsx 和 汇总.json 写到这里。")
def check_command(workbook: Path, fmt: str, annotate: str | None, no_info: bool, profile: str | None,
                  output: Path | None) -> None:
    """检查工作簿：列出每个问题所在的工作表和单元格，不生成文档。

    也可以检查已公开的 PDF 或 Word 文档：表格按同样的规则核对，情况说明中的数与按表计算的数比较，
    问题按页列出（第几页、哪一句）。

    \b
    示例：
      genreport check 工作簿.xlsx
      genreport check 工作簿.xlsx --annotate          （生成 工作簿.标注.xlsx）
      genreport check 工作簿.xlsx --format json
      genreport check 工作簿.xlsx --profile 我的样式      （按导出后修改过的样式文件夹检查）
      genreport check 2024年部门决算.pdf
      genreport check 各部门公开文本/ -o 检查结果/     （每份一行的 汇总.xlsx）
    """
    from ..api import annotate as annotate_copy
    from ..api import check_workbook, is_publication
    from ..collector import collector_paused
    from ..errors import GenreportError
    from ..visible import printable

    if workbook.is_dir():
        _check_folder(workbook, output)
    if annotate is not None and is_publication(workbook):
        raise GenreportError("--annotate 只能标注工作簿；公开文档请先用 genreport import 导入为工作簿。")
    with collector_paused():
        _, report = check_workbook(workbook, profile)
    print_report(report, fmt, show_info=not no_info)
    if annotate is not None:
        target, marked = annotate_copy(workbook, report, Path(annotate) if annotate else None)
        click.echo(f"已生成标注副本：{printable(str(target))}（标出 {len(marked)} 个单元格）", err=fmt == "json")
    sys.exit(report.exit_code)


def _check_folder(folder: Path, output: Path | None) -> None:
    """Check every publication in folder, print one line each and the summary files; exit 1 when one has errors."""
    from ..api import check_publications
    from ..errors import GenreportError
    from ..visible import printable

    if output is None:
        raise GenreportError(f"“{printable(str(folder))}”是一个文件夹，请指定其中的工作簿文件（.xlsx）；"
                             "要检查其中全部已公开的 PDF、Word 文档，请用 -o 指定汇总的输出目录（genreport check 公开文本/ -o 检查结果/）。")

    def each(item) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"{item.status.label}：{item.shown_source}（错误 {item.errors} 处，警告 {item.warnings} 处）")

    result = check_publications(folder, output, each)
    click.echo("汇总：" + "，".join(printable(str(p)) for p in result.summary_files))
    sys.exit(0 if result.ok else 1)
