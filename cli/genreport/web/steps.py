"""The page's own words: a sentence the library writes for the command line points to the page's steps instead.

Accountants on the page never see a command: "genreport init 生成的空白工作簿" becomes "“① 开始”中下载的空白工作簿".
"""

from __future__ import annotations

import re

#: (pattern, replacement) in order; the patterns are the command-line phrases of the library's sentences.
PAGE_STEPS = [
    (re.compile(r"请运行 genreport init --profile \S+ -o \S+ 生成该样式的空白工作簿"),
     "请在“① 开始”中选择该样式，下载空白工作簿"),
    (re.compile(r"全部段落编号及每段的开头文字可用 genreport template keys 查看。"),
     "全部段落编号请向维护 Word 模板的同事索取。"),
    (re.compile(r"genreport init 生成"), "“① 开始”中下载"),
]


def for_page(text: str) -> str:
    """Return text with command-line advice replaced by the page's steps."""
    for pattern, replacement in PAGE_STEPS:
        text = pattern.sub(replacement, text)
    return text
