"""The generated part of docs/样式编写指南.md: every bundled profile's `fig.` variables, read from its spec."""

from __future__ import annotations

from typing import Any

from ..figlang import kind_of
from ..profile import list_profiles

START = "<!-- 以下由 python tools/gen_docs.py 根据各样式的工作簿说明生成，请勿手工修改 -->"
END = "<!-- 生成部分结束 -->"


def figure_rows(figures: dict[str, Any], prefix: str = "fig") -> list[tuple[str, str]]:
    """Return (variable path, its definition as written in the spec) for every figure, depth first."""
    rows: list[tuple[str, str]] = []
    for name, definition in figures.items():
        path = f"{prefix}.{name}"
        kind = kind_of(definition) if isinstance(definition, dict) else None
        if isinstance(definition, dict) and kind is None:
            rows.append((path, "一组计算结果"))
            rows += figure_rows(definition, path)
        elif kind in ("rows", "records") and "each" in definition:
            source = definition[kind]
            what = f"表 {'、'.join(source) if isinstance(source, list) else source} 的各行" if kind == "rows" \
                else f"输入表 {source} 的各条记录"
            rows.append((path, f"列表：{what}" + (f"（第 {definition.get('level', 3)} 级）" if kind == "rows" else "")))
            rows += figure_rows(definition["each"], f"{path}[]")
        elif kind == "form":
            rows.append((path, f"输入表 {definition['form']} 的各项"))
            rows += figure_rows({k: v for k, v in definition.items() if k != "form"}, path)
        elif kind == "parts":
            rows.append((path, f"组成部分及占比（Part 列表），分母 {definition.get('of', '')}"))
        elif kind is not None:
            rows.append((path, f"{kind}：{_inline(definition)}"))
        else:
            rows.append((path, _inline(definition)))
    return rows


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return "none" if value is None else str(value)


def variables_markdown() -> str:
    """Return the guide's generated section: per bundled profile, its figures and how the spec defines them."""
    lines = [START, ""]
    for profile in list_profiles():
        spec = profile.workbook_spec
        lines += [f"### {profile.title}（{profile.id}，工作簿说明 {spec.id}）", "",
                  "| 变量 | 工作簿说明中的定义 |", "|---|---|"]
        lines += [f"| `{path}` | {_cell(text)} |" for path, text in figure_rows(spec.figures)]
        lines.append("")
    return "\n".join(lines + [END])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def with_variables(guide: str) -> str:
    """Return the guide text with its generated section replaced by the current one."""
    head, _, rest = guide.partition(START)
    _, _, tail = rest.partition(END)
    return head + variables_markdown() + tail
