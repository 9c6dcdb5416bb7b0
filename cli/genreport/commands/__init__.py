"""The genreport command: `genreport WORKBOOK` generates; subcommands init, check, batch, template."""

from __future__ import annotations

import sys
import traceback

import click

from .. import __version__

EXIT_HELP = """
退出码：0 成功；1 工作簿有错误（已列出）；2 用法错误或文件无法读取。
"""


class DefaultGroup(click.Group):
    """A group where `genreport FILE …` means `genreport generate FILE …`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = next((a for a in args if not a.startswith("-")), None)
        if first is not None and first not in self.commands:
            args.insert(args.index(first), "generate")
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_HELP)
@click.version_option(__version__, "-V", "--version", message="genreport %(version)s")
@click.option("--debug", is_flag=True, help="出错时显示完整的程序调用栈（供开发人员排查）。")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """genreport：把填好的部门决算标准工作簿一键生成完整的部门决算公开 Word 文档。

    \b
    常用命令：
      genreport init -o 工作簿.xlsx      生成空白标准工作簿
      genreport check 工作簿.xlsx        只检查，不生成
      genreport 工作簿.xlsx              检查并生成 Word 文档
    """
    ctx.obj = {"debug": debug}


def main() -> None:
    """Run the CLI; turn every failure into one Chinese sentence and exit code 2 (traceback with --debug)."""
    from ..errors import GenreportError

    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except GenreportError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"错误：{exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("已中断，未写出任何不完整的文件。", err=True)
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - the user must never see a traceback
        if debug:
            traceback.print_exc()
        click.echo(f"错误：程序内部出错（{type(exc).__name__}）。请加 --debug 重新运行并把输出反馈给技术支持。", err=True)
        sys.exit(2)
    sys.exit(0)


from . import check, generate, init  # noqa: E402,F401  (register subcommands)
