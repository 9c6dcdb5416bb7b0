"""The command group `genreport` and how it runs: Chinese usage errors, exit codes, --debug, signals."""

from __future__ import annotations

import sys
import traceback
import warnings
from pathlib import Path

import click

from .._version import __version__
from .i18n import install as _install_chinese_messages
from .i18n import ARGUMENT_MISSING

_install_chinese_messages()

EXIT_HELP = """
退出码：0 成功；1 工作簿有错误（已列出）；2 用法错误或文件无法读取。
"""


#: Options of the genreport group itself; every other option before the workbook belongs to `generate`.
GROUP_OPTIONS = ("--debug", "-V", "--version", "-h", "--help")


class ChineseGroup(click.Group):
    """A group whose unknown-subcommand message is Chinese and suggests the nearest subcommand."""

    def resolve_command(self, ctx: click.Context, args: list[str]):  # type: ignore[override]
        name = args[0] if args else ""
        if args and self.get_command(ctx, name) is None and not name.startswith("-"):
            raise click.UsageError(f"没有“{name}”这个子命令{_suggestion(name, self.commands)}", ctx=ctx)
        return super().resolve_command(ctx, args)


class DefaultGroup(ChineseGroup):
    """A group where `genreport [generate options] FILE …` means `genreport generate [options] FILE …`."""

    group_class = ChineseGroup  # subgroups (genreport template …) get the Chinese unknown-subcommand message

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        lead = 0
        while lead < len(args) and args[lead] in GROUP_OPTIONS:
            lead += 1
        rest = args[lead:]
        first = next((a for a in rest if not a.startswith("-")), None)
        if rest and first not in self.commands:
            if first is not None and _looks_like_subcommand(first, self.commands):
                raise click.UsageError(f"没有“{first}”这个子命令{_suggestion(first, self.commands)}", ctx=ctx)
            args.insert(lead, "generate")
        return super().parse_args(ctx, args)


def _suggestion(name: str, choices) -> str:
    """Return “（是否想用 X？）” for the choices nearest to name, or "" when none is near."""
    import difflib

    near = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.6)
    return f"（是否想用 {'、'.join(near)}？）" if near else ""


def _looks_like_subcommand(word: str, commands) -> bool:
    """A word with no file suffix that is no existing path but is close to a subcommand name (a typo)."""
    return not Path(word).suffix and not Path(word).exists() and bool(_suggestion(word, commands))


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_HELP,
             invoke_without_command=True)
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
      genreport merge 本级.xlsx 下属单位.xlsx -o 部门.xlsx   汇总本级和下属单位的工作簿
    """
    ctx.obj = {"debug": debug}
    if ctx.invoked_subcommand is None:  # bare `genreport`: the help is the answer, not an error
        click.echo(ctx.get_help())
        ctx.exit(0)


def main(args: list[str] | None = None) -> None:
    """Run the CLI; turn every failure into one Chinese sentence and exit code 2 (traceback with --debug).

    args defaults to sys.argv[1:]; always ends with SystemExit (0 valid, 1 invalid, 2 unusable).
    """
    argv = list(sys.argv[1:] if args is None else args)
    debug = "--debug" in argv
    if debug:  # accepted anywhere on the line, not only before the subcommand
        argv = ["--debug", *(a for a in argv if a != "--debug")]
    _interrupt_on_hangup()
    _sweep_stale()
    with warnings.catch_warnings():
        if not debug:
            warnings.simplefilter("ignore")  # library warnings are developer noise for an accountant
            sys.unraisablehook = _quiet  # "Exception ignored in …" from half-closed files after a failed write
        code = _run(argv, debug)
    sys.exit(code)


def _interrupt_on_hangup() -> None:
    """Make SIGHUP (the terminal window closed) and SIGTERM (kill) stop genreport the way Ctrl+C does.

    The interrupted work cleans up as for Ctrl+C (temporary files, LibreOffice, the web page's folders). A signal
    that is ignored (started with nohup) stays ignored.
    """
    import signal

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGHUP", "SIGTERM"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            signal.signal(number, interrupt)


def _sweep_stale() -> None:
    """Remove what a genreport of this user that was killed (SIGKILL, power cut) left in the temporary folder."""
    from ..api import sweep_leftovers

    sweep_leftovers()


def _quiet(_unraisable: object) -> None:
    """Swallow an exception Python can only report as "Exception ignored" (debug shows them as usual)."""


def _run(argv: list[str], debug: bool) -> int:
    """Return the exit code of one CLI run, printing a one-sentence message for every failure."""
    from ..errors import GenreportError

    try:
        cli.main(args=argv, prog_name="genreport", standalone_mode=False)
    except SystemExit as exc:
        return _exit_status(exc.code)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.NoArgsIsHelpError as exc:  # a group named without a subcommand
        click.echo(exc.ctx.get_help())
        return 0
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
    except OSError as exc:
        return _os_failure(exc, debug)
    except Exception as exc:  # noqa: BLE001 - the user must never see a traceback
        _show_error(f"程序内部出错（{type(exc).__name__}），请加 --debug 重新运行并把输出反馈给技术支持。", debug)
        return 2
    return 0


def _os_failure(exc: OSError, debug: bool) -> int:
    """Report a failed read or write (of a file or of the output itself) in one sentence; return 2."""
    import errno

    from ..oserrors import advice, reason

    if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
        _silence_stdout()  # the reader of our output has gone (| head): nothing more to say
        return 2
    if exc.filename:
        _show_error(f"读写“{exc.filename}”失败（{reason(exc)}），{advice(exc)}。", debug)
    else:
        _silence_stdout()
        _show_error(f"无法输出结果（{reason(exc)}），{advice(exc)}。", debug)
    return 2


def _silence_stdout() -> None:
    """Point stdout at the null device so that the interpreter's final flush cannot fail again."""
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # stdout replaced (tests) or already closed
        pass


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
    """Return the Chinese wording of click's usage errors, naming the option or argument concerned."""
    param = getattr(exc, "param", None)
    if isinstance(exc, click.exceptions.NoSuchOption):
        hint = f"（是否想用 {'、'.join(sorted(exc.possibilities))}？）" if exc.possibilities else ""
        return f"没有“{exc.option_name}”这个选项{hint}"
    if isinstance(exc, click.exceptions.MissingParameter):
        return f"缺少{_param_name(param, about=True)}" if param is not None else "缺少参数"
    if isinstance(exc, click.exceptions.BadOptionUsage):
        return exc.message.rstrip("。")
    if isinstance(exc, click.exceptions.BadParameter):
        if param is None:
            return f"参数取值不对（{exc.message.rstrip('。')}）"
        if isinstance(param.type, click.Choice):
            return f"参数取值不对（{_param_name(param)} 只能是 {'、'.join(map(str, param.type.choices))}）"
        return f"参数取值不对（{_param_name(param)}：{exc.message.rstrip('。')}）"
    return exc.message.rstrip("。")


def _param_name(param: click.Parameter, about: bool = False) -> str:
    """Return “选项 -o/--output-dir（输出文件夹）” / “选项 --format”, or “工作簿文件” for an argument."""
    if not isinstance(param, click.Option):
        return ARGUMENT_MISSING.get(param.name or "", f"参数 {param.metavar or param.human_readable_name}")
    summary = (param.help or "").split("（")[0].split("：")[0].split("。")[0] if about else ""
    return f"选项 {'/'.join(param.opts)}" + (f"（{summary}）" if summary else "")


def _show_error(message: str, debug: bool) -> None:
    """Print the traceback of the exception being handled (only with --debug), then 错误：message.

    Control characters from file names are shown escaped, never sent raw to the terminal.
    """
    from ..visible import printable

    if debug:
        traceback.print_exc()
    click.echo(f"错误：{printable(message)}", err=True)
