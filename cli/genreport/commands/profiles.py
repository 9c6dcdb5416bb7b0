"""genreport profiles: list the installed publication styles."""

from __future__ import annotations

import click

from .group import cli


@cli.command("profiles")
def profiles_command() -> None:
    """列出已安装的报告样式（地区版式）。

    \b
    示例：
      genreport profiles
      genreport init --profile <样式编号> -o 工作簿.xlsx
    """
    from ..api import DEFAULT_PROFILE, list_profiles

    for profile in list_profiles():
        mark = "（默认）" if profile.id == DEFAULT_PROFILE else ""
        click.echo(f"{profile.id}  {profile.title}{mark}")
        click.echo(f"    {profile.description}")
