"""Generated docs stay in sync with the code: every template variable, filter and field is documented."""

from pathlib import Path

from genreport.api import sample_context
from genreport.docbuild.variables import reference_markdown, undocumented, undocumented_names

ROOT = Path(__file__).resolve().parent.parent


def test_every_context_variable_is_documented():
    assert undocumented(sample_context()) == []


def test_every_filter_and_value_field_is_documented():
    assert undocumented_names() == []


def test_variable_reference_is_up_to_date():
    committed = (ROOT / "docs" / "模板变量.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(sample_context()), "请运行 python tools/gen_docs.py 重新生成文档"


def test_every_command_has_help_with_an_example():
    from genreport.commands import cli

    def walk(group, prefix=""):
        for name, command in group.commands.items():
            yield f"{prefix}{name}", command
            if hasattr(command, "commands"):
                yield from walk(command, f"{prefix}{name} ")

    for name, command in walk(cli):
        if hasattr(command, "commands"):
            continue
        assert "示例" in (command.help or ""), f"genreport {name} --help 缺少示例"
