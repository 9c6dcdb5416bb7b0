"""Render docs/校验规则.md from the check catalogue (run: python -m genreport.checks.doc)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..issues import SEVERITY_LABEL
from ..spec import load_spec
from .catalogue import Catalogue, catalogue_for

DOC_PATH = Path("docs") / "校验规则.md"

INTRO = """# 校验规则

> 本文件由 `python -m genreport.checks.doc` 根据 `workbook_specs/checks.yaml` 生成，请勿手工修改。

`genreport check 工作簿.xlsx` 列出的每个问题都有一个固定的**代码**（下表第一列）、级别、所在工作表和单元格，
以及一句说明。级别的含义：

- **错误**：公开的数字会出错。有错误时不生成文档，除非加 `--force`。
- **警告**：输入可疑或缺少情况说明需要的内容，可以生成，但请核对。
- **提示**：尾差（四舍五入造成的差额）或建议，不影响生成。

**尾差规则。** 公开表的金额是由元四舍五入到 0.01 万元得到的，合计与分项之和可能相差几分钱。
一个等式中每个已填写的金额都可能有 0.005 万元的舍入误差，所以 n 个分项加合计共 (n+1) × 0.005 万元以内的差额
只作为“提示”（代码 `rounding-difference`，并注明是哪条规则），超过这个范围才按规则本身的级别报告。

**空白与 0。** 公开表中的空白按 0 参与求和，但仍与 0.00 区分；输入表（上年数、年初预算、原因等）中的空白表示
“未填写”，不当作 0。

“对应条目”是 validation-identities 校验清单中的编号。
"""


def render_doc(catalogue: Catalogue) -> str:
    """Return the Markdown text of docs/校验规则.md for the catalogue."""
    parts = [INTRO]
    for group, title in catalogue.groups.items():
        entries = [e for e in catalogue.entries.values() if e.group == group]
        if not entries:
            continue
        parts.append(f"\n## {title}（{group}）\n")
        parts.append("| 代码 | 规则 | 默认级别 | 对应条目 |")
        parts.append("|---|---|---|---|")
        for entry in entries:
            parts.append(f"| `{entry.code}` | {entry.title} | {SEVERITY_LABEL[entry.severity]} | {entry.ref} |")
    skipped = catalogue.section("not_checked", [])
    if skipped:
        parts += ["\n## 本版本不检查的条目\n", "| 条目 | 原因 |", "|---|---|"]
        parts += [f"| {item['ref']} | {item['reason']} |" for item in skipped]
    return "\n".join(parts) + "\n"


def main(argv: list[str]) -> int:
    """Write the document (default docs/校验规则.md under the current folder) and return 0."""
    target = Path(argv[0]) if argv else DOC_PATH
    target.write_text(render_doc(catalogue_for(load_spec("standard"))), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
