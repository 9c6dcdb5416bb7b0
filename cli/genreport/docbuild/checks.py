"""Render docs/校验规则.md from the check catalogue (run: python -m genreport.docbuild.checks)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..issues import SEVERITY_LABEL
from ..spec import load_spec
from ..catalogue import Catalogue, catalogue_for, checks_path, load_catalogue

DOC_PATH = Path("docs") / "校验规则.md"

INTRO = """# 校验规则

> 本文件由 `python -m genreport.docbuild.checks` 根据 `workbook_specs/checks.yaml` 和各样式自己的校验规则文件生成，请勿手工修改。

`genreport check 工作簿.xlsx` 列出的每个问题都有一个固定的**代码**（下表第一列）、级别、所在工作表和单元格，
以及一句说明。级别的含义：

- **错误**：公开的数字会出错。有错误时不生成文档，除非加 `--force`。
- **警告**：输入可疑或缺少情况说明需要的内容，可以生成，但请核对。
- **提示**：尾差（四舍五入造成的差额）或建议，不影响生成。

**尾差规则。** 公开表的金额是四舍五入到表上印出的最后一位得到的（万元表到 0.01 万元），合计与分项之和可能相差几分钱。
一个等式中每个已填写的金额都可能有半个末位的舍入误差（两位小数的表 0.005，按整元印的表 0.5 元），所以 n 个分项加合计
共 (n+1) 个半末位以内的差额只作为“提示”（代码 `rounding-difference`，并注明是哪条规则），超过这个范围才按规则本身的
级别报告。说明中的金额用该表自己的单位（元表写“差 1.00 元”，万元表写“差 1.00 万元”）。

**说明用表上的文字。** 说明按工作表上看得到的文字指明是哪一格：表头中能把这一列与其他列分开的文字（如“三公”经费表的
“因公出国（境）费 决算数”“公务用车购置及运行维护费 小计 预算数”），固定行的项目名称（没有行次的表中名称重复时注明
收入或支出一方，如“总计（收入）”），以及输入表的项目名称。

**空白与 0。** 公开表中的空白按 0 参与求和，但仍与 0.00 区分；输入表（上年数、年初预算、原因等）中的空白表示
“未填写”，不当作 0。

**一个原因只报一次。** 无法读取（不是数字、公式错误值、被合并）、没有保存计算结果或超出范围的单元格只在它本身报告一次，
说明中注明“用到本格的其他校验已跳过”；改正后再检查一次即可看到依赖它的等式。

**必填跟着数字走。** “三公”补充数（团组、人次、车辆、接待批次）只在对应分项有支出时必填（`required-missing`）；
原因、用途等文字只在本样式的模板会把它印出来时才要求（用本工作簿的数字试排一次模板来判断），
所以模板不写各“三公”分项差异原因的样式不要求填写它们，模板不写“三公”经费同比原因的样式也不要求。

**新的输入。** “年初预算”表的“全年预算数”（选填，填写后情况说明与它比较，写“完成全年预算的…%”；
年初预算数和全年预算数至少填一个，`budget-blank`）；“预算总数”表（选填）填写的总数与“年初预算”表同一预算类型各项之和
在尾差范围内核对（`budget-total-mismatch`，文档仍印各项之和）；区级样式“政府采购”表的五个中小企业数（`proc-reserved`、
`proc-won`、`proc-won-reserved`）和“预算绩效”表的全过程绩效管理个数（`perf-ratings`、`perf-problems`、`perf-score-range`）；
“上年数”表的“上年项目支出”。

**文字单元格与单位。** 文字单元格按 Excel 显示的样子印出；被 Excel 当成公式的“=100%”原样印出，格式不是中文日期的日期
印成“2025年9月”，两种情况都以 `text-as-shown` 指出单元格和将印的内容。金额超过本部门收支总计（输入表：10 倍）或是同表
其他金额的上万倍时，`unit-hint` 提示可能按元填写了。

**必填项空白而仍生成（`--force`）。** 文档在该处印“【未填写：项目名称】”（样式 conventions.missing_value），
不留空、不印 None 或 0，也不写“无……支出”。

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
    for extension in _extensions(catalogue):
        parts += _extension_part(extension, catalogue)
    return "\n".join(parts) + "\n"


def _extensions(catalogue: Catalogue) -> list[Catalogue]:
    """Return the bundled check files of the other profiles that add codes of their own (in profile order)."""
    from ..profile import list_profiles

    found: dict[Path, Catalogue] = {}
    for profile in list_profiles():
        path = checks_path(load_spec(profile.spec))
        extension = load_catalogue(path)
        if path not in found and set(extension.entries) - set(catalogue.entries):
            found[path] = extension
    return list(found.values())


def _extension_part(extension: Catalogue, base: Catalogue) -> list[str]:
    """Return the section of a check file that extends the base: its `doc_title`, `doc` text and own codes."""
    parts = [f"\n## {extension.section('doc_title', '其他样式的规则')}\n", str(extension.section("doc", "")).strip(), "",
             "| 代码 | 规则 | 默认级别 | 对应条目 |", "|---|---|---|---|"]
    parts += [f"| `{e.code}` | {e.title} | {SEVERITY_LABEL[e.severity]} | {e.ref} |"
              for e in extension.entries.values() if e.code not in base.entries]
    return parts


def main(argv: list[str]) -> int:
    """Write the document (default docs/校验规则.md under the current folder) and return 0."""
    target = Path(argv[0]) if argv else DOC_PATH
    target.write_text(render_doc(catalogue_for(load_spec("standard"))), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
