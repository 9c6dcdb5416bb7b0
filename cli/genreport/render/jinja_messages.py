"""Jinja's English error messages in Chinese, and the paragraph where an unclosed block starts."""

from __future__ import annotations

import re

from jinja2 import TemplateError, UndefinedError

#: (pattern of Jinja's message, Chinese wording with the pattern's groups).
PATTERNS = [
    (r"Unexpected end of template\. Jinja was looking for the following tags: .*?"
     r"The innermost block that needs to be closed is '(\w+)'\.", "{{% {0} %}} 没有对应的 {{% end{0} %}}，块没有结束"),
    (r"Encountered unknown tag '(end\w+|else|elif)'\..*", "多余的 {{% {0} %}}：前面没有与它对应的开始标签"),
    (r"Encountered unknown tag '(\w+)'\.", "未知的标签“{0}”"),
    (r"unexpected '\}'", "标签缺少一个“}}”或多了一个“}}”（应为 {{{{ … }}}} 或 {{% … %}}）"),
    (r"unexpected '\{'", "标签缺少一个“{{”或多了一个“{{”（应为 {{{{ … }}}} 或 {{% … %}}）"),
    (r"unexpected 'end of template'", "标签没有写完，缺少右括号或结束的“}}}}”"),
    (r"unexpected char '(.)'.*", "标签中有不能使用的字符“{0}”"),
    (r"unexpected '(.+?)'", "标签中不应出现“{0}”"),
    (r"No filter named '(.+?)'\.?", "未知的过滤器“{0}”"),
    (r"No test named '(.+?)'\.?", "未知的判断“{0}”"),
    (r"expected token 'end of print statement', got '(.+?)'", "{{{{ … }}}} 中“{0}”之前缺少运算符或过滤器的“|”"),
    (r"expected token '(.+?)', got '(.+?)'", "标签写法有误：应为“{0}”，实际是“{1}”"),
    (r"Expected an expression, got '(.+?)'", "标签中缺少条件或变量"),
    (r"expected name or number", "“.”后面缺少字段名"),
    (r"'(.+?)' is undefined", "未知的变量“{0}”"),
    (r"'(.+?)' has no attribute '(.+?)'", "“{1}”不是可用的字段"),
]


def chinese(message: str) -> str:
    """Return the Chinese wording of a Jinja error message (a generic sentence for one not listed)."""
    for pattern, wording in PATTERNS:
        match = re.fullmatch(pattern, message.strip(), re.S)
        if match:
            return wording.format(*match.groups())
    return "模板标签写法有误，请检查本段的 {{ … }} 和 {% … %} 是否成对、拼写是否正确"


def describe(exc: TemplateError | UndefinedError) -> str:
    return chinese(str(exc.message if getattr(exc, "message", None) else exc))


def is_unclosed_block(message: str) -> bool:
    return message.startswith("Unexpected end of template.")


_BLOCK_TAG = re.compile(r"\{%-?\s*(?:p\s+|tr\s+|tc\s+|r\s+)?(\w+)")
_OPENERS = {"if", "for", "macro", "block", "with", "filter", "call", "raw", "autoescape"}


def unclosed_opening(lines: list[str]) -> int | None:
    """Return the index of the line whose block tag is never closed (the innermost one), None when all close."""
    stack: list[tuple[str, int]] = []
    for index, line in enumerate(lines):
        for tag in _BLOCK_TAG.findall(line):
            if tag in _OPENERS:
                stack.append((tag, index))
            elif tag.startswith("end") and stack and stack[-1][0] == tag[3:]:
                stack.pop()
    return stack[-1][1] if stack else None
