"""genreport: 从标准 Excel 工作簿生成部门决算公开 Word 文档。"""

from __future__ import annotations

from ._version import __version__

__all__ = ["__version__", "check_workbook", "generate_report", "init_workbook"]


def __getattr__(name: str):  # lazy: keep `genreport --help` fast
    if name in ("check_workbook", "generate_report", "init_workbook"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
