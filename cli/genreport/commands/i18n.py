"""Chinese wording for click's own messages (Usage, Options, errors): accountants read Chinese."""

from __future__ import annotations

import click

MESSAGES = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Missing command.": "缺少子命令。",
    "No such command {name!r}.": "没有子命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 超出允许的范围，应{range}。",
    "{value!r} is not {choice}.": "“{value}”不是可选的值，只能填 {choice}。",
    "{value!r} is not one of {choices}.": "“{value}”不是可选的值，可选：{choices}。",
    "Got unexpected extra argument ({args})": "多出了参数“{args}”（文件名含空格时请加引号）",
    "Got unexpected extra arguments ({args})": "多出了参数“{args}”（文件名含空格时请加引号）",
    "Option {name!r} requires an argument.": "选项 {name} 后面需要填一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 后面需要填 {nargs} 个值。",
    "(Did you mean one of: {possibilities}?)": "（是否想用 {possibilities}？）",
    "Did you mean {possibility}?": "是否想用 {possibility}？",
    "required": "必填",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "Aborted!": "已取消。",
}


#: Placeholders in usage lines and help (click prints OPTIONS, COMMAND [ARGS]... and argument names in capitals).
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "子命令 [参数]..."
ARGUMENT_NAMES = {"workbook": "工作簿", "folder": "文件夹", "template": "模板", "inputs": "输入", "document": "文档"}
#: Placeholders of option values by click type name (--profile TEXT → --profile 文字).
TYPE_NAMES = {"text": "文字", "integer": "整数", "integer range": "整数", "float": "数", "path": "路径",
              "file": "文件", "directory": "文件夹"}
OPTION_NAMES = {"profile": "样式"}
#: What a missing argument is called in “缺少…”.
ARGUMENT_MISSING = {"workbook": "工作簿文件", "folder": "文件夹", "template": "模板文件",
                    "inputs": "要处理的工作簿、文件夹或清单", "document": "编辑改过的 Word 文档（.docx）"}


def _translate(message: str) -> str:
    return MESSAGES.get(message, message)


def _translate_plural(singular: str, plural: str, count: int) -> str:
    return _translate(singular if count == 1 else plural)


def _describe_range(self: click.types._NumberRangeBase) -> str:  # type: ignore[name-defined]
    """Chinese wording of a number range, as shown in help and in range errors."""
    low = None if self.min is None else f"{'大于' if self.min_open else '不小于'} {self.min}"
    high = None if self.max is None else f"{'小于' if self.max_open else '不大于'} {self.max}"
    return "、".join(part for part in (low, high) if part)


def localise_placeholders(command: click.Command) -> None:
    """Give every command of the tree Chinese usage placeholders ([选项], 子命令, 工作簿 …)."""
    command.options_metavar = OPTIONS_METAVAR
    for param in command.params:
        if isinstance(param, click.Argument) and param.metavar is None and param.name in ARGUMENT_NAMES:
            param.metavar = ARGUMENT_NAMES[param.name] + ("..." if param.nargs == -1 else "")
        elif isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
            name = OPTION_NAMES.get(param.name or "") or TYPE_NAMES.get(param.type.name)
            param.metavar = name
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            localise_placeholders(sub)


def install() -> None:
    """Route click's gettext lookups through MESSAGES (click calls `_` at message time)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        if hasattr(module, "_"):
            module._ = _translate
        if hasattr(module, "ngettext"):
            module.ngettext = _translate_plural
    click.types._NumberRangeBase._describe_range = _describe_range


__all__ = ["ARGUMENT_MISSING", "install", "localise_placeholders", "click"]
