"""The genreport command: `genreport WORKBOOK` generates; subcommands init, check, batch, template."""

from __future__ import annotations

import sys
import traceback
import warnings

import click

from .. import __version__
from .i18n import install as _install_chinese_messages

_install_chinese_messages()

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


def main(args: list[str] | None = None) -> None:
    """Run the CLI; turn every failure into one Chinese sentence and exit code 2 (traceback with --debug).

    args defaults to sys.argv[1:]; always ends with SystemExit (0 valid, 1 invalid, 2 unusable).
    """
    argv = list(sys.argv[1:] if args is None else args)
    debug = "--debug" in argv
    if debug:  # accepted anywhere on the line, not only before the subcommand
        argv = ["--debug", *(a for a in argv if a != "--debug")]
    with warnings.catch_warnings():
        if not debug:
            warnings.simplefilter("ignore")  # library warnings are developer noise for an accountant
        code = _run(argv, debug)
    sys.exit(code)


def _run(argv: list[str], debug: bool) -> int:
    """Return the exit code of one CLI run, printing a one-sentence message for every failure."""
    from ..api import GenreportError

    try:
        cli.main(args=argv, prog_name="genreport", standalone_mode=False)
    except SystemExit as exc:
        return _exit_status(exc.code)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("错误：已中断，未写出任何不完整的文件。", err=True)
        return 2
    except click.ClickException as exc:
        _show_usage_error(exc)
        return 2
    except GenreportError as exc:
        _show_error(str(exc), debug)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("错误：已中断，未写出任何不完整的文件。", err=True)
        return 2
    except MemoryError:
        _show_error("内存不足，工作簿过大或已损坏，请确认文件是否正确。", debug)
        return 2
    except Exception as exc:  # noqa: BLE001 - the user must never see a traceback
        _show_error(f"程序内部出错（{type(exc).__name__}），请加 --debug 重新运行并把输出反馈给技术支持。", debug)
        return 2
    return 0


def _exit_status(code: object) -> int:
    """Return the integer exit status of a SystemExit code (None is 0, a message is 2)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    click.echo(str(code), err=True)
    return 2


def _show_usage_error(exc: click.ClickException) -> None:
    """Print the usage line and one Chinese sentence for a command-line mistake."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        click.echo(ctx.get_usage(), err=True)
    where = ctx.command_path if ctx is not None else "genreport"
    click.echo(f"错误：{_usage_message(exc)}，请运行 {where} --help 查看用法。", err=True)


def _usage_message(exc: click.ClickException) -> str:
    """Return the Chinese wording of click's usage errors (the original detail kept for the rest)."""
    if isinstance(exc, click.exceptions.NoSuchOption):
        hint = f"（是否想用 {'、'.join(exc.possibilities)}？）" if exc.possibilities else ""
        return f"没有“{exc.option_name}”这个选项{hint}"
    if isinstance(exc, click.exceptions.MissingParameter):
        what = "工作簿文件" if exc.param is not None and exc.param.name == "workbook" else (exc.param_hint or "参数")
        return f"缺少{what}"
    if isinstance(exc, click.exceptions.BadOptionUsage):
        return f"选项“{exc.option_name}”的用法不对（{exc.format_message()}）"
    if isinstance(exc, click.exceptions.BadParameter):
        return f"参数取值不对（{exc.format_message()}）"
    return f"命令用法不对（{exc.format_message()}）"


def _show_error(message: str, debug: bool) -> None:
    """Print the traceback of the exception being handled (only with --debug), then 错误：message."""
    if debug:
        traceback.print_exc()
    click.echo(f"错误：{message}", err=True)


from . import batch, check, generate, init, profiles, serve, template  # noqa: E402,F401  (register subcommands)
