"""Every message a user reads from the command line is Chinese: usage mistakes, help, placeholders."""

from __future__ import annotations

import re

import pytest

from genreport.commands import main

#: Three or more English words in a row, or a capitalised placeholder such as OPTIONS / WORKBOOK.
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z']{2,}){2,}\b|\b[A-Z]{4,}\b(?!_)")
#: Command lines quoted in help (genreport check 工作簿.xlsx --format json) are not sentences.
COMMAND_LINE = re.compile(r"genreport(?: [\w./<>\[\]-]+)*")


def run(args: list[str], capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out = capsys.readouterr()
    return exit_info.value.code, out.out + out.err


def english_in(text: str) -> list[str]:
    return ENGLISH.findall(COMMAND_LINE.sub("", text))


MISTAKES = [
    (["chek", "x.xlsx"], "没有“chek”这个子命令（是否想用 check？）"),
    (["template", "chek"], "没有“chek”这个子命令（是否想用 check？）"),
    (["check", "--formt", "json", "x.xlsx"], "没有“--formt”这个选项（是否想用 --format？）"),
    (["check", "x.xlsx", "--format", "xml"], "选项 --format 只能是 text、json"),
    (["check"], "缺少工作簿文件"),
    (["check", "a.xlsx", "b.xlsx"], "多出了参数“b.xlsx”"),
    (["batch", "in"], "缺少选项 -o/--output-dir（输出文件夹）"),
    (["batch", "in", "-o", "out", "-j", "0"], "0 超出允许的范围，应不小于 1"),
    (["template", "check"], "缺少模板文件"),
    (["init", "--profile"], "选项 --profile 后面需要填一个值"),
    (["serve", "--port", "abc"], "选项 --port：“abc”不是有效的数字"),
    (["x.xlsx", "--bogus"], "没有“--bogus”这个选项"),
]


@pytest.mark.parametrize(("args", "expected"), MISTAKES, ids=[" ".join(a) for a, _ in MISTAKES])
def test_usage_mistakes_are_one_chinese_sentence(args, expected, capsys):
    code, text = run(args, capsys)
    assert code == 2
    assert expected in text
    assert english_in(text) == [], text


HELP = [[], ["--help"], ["check", "-h"], ["generate", "-h"], ["init", "-h"], ["batch", "-h"], ["serve", "-h"], ["template"],
        ["template", "-h"], ["template", "check", "-h"], ["template", "export", "-h"], ["profiles", "-h"]]


@pytest.mark.parametrize("args", HELP, ids=[" ".join(a) or "bare" for a in HELP])
def test_help_is_chinese_and_exits_0(args, capsys):
    code, text = run(args, capsys)
    assert code == 0
    assert text.startswith("用法： genreport") and "[选项]" in text
    assert english_in(text) == [], text


def test_bare_genreport_shows_the_help_not_an_error(capsys):
    code, text = run([], capsys)
    assert code == 0 and "错误：" not in text and "子命令 [参数]..." in text


def test_generate_options_before_the_workbook(sample_path, tmp_path, capsys):
    code, text = run(["--force", "-o", str(tmp_path), str(sample_path)], capsys)
    assert code == 0, text
    assert "已生成：" in text
