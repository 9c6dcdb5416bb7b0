"""The template variable reference (docs/模板变量.md), generated from a real context and the descriptions file."""

from __future__ import annotations

import re

import dataclasses
from decimal import Decimal
from typing import Any

from ..yamlfile import load_yaml
from ..resources import specs_dir
from ..selfeval_records import Section
from ..render.filters import FILTERS, cell

#: Keys under `tables` share one layout; they are documented once as tables.<表>.
WILDCARDS = {"tables": "<表>"}


def iter_paths(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Return (dotted path, example value) for every variable reachable in value; lists as path[]."""
    if isinstance(value, Section):
        value = value.as_dict()
    if isinstance(value, dict):
        found: list[tuple[str, Any]] = []
        seen: set[str] = set()
        for key, item in value.items():
            name = WILDCARDS.get(path.rsplit(".", 1)[-1] if path else "", key)
            child = f"{path}.{name}" if path else name
            if child in seen:
                continue
            seen.add(child)
            found.append((child, item))
            found += iter_paths(item, child)
        return found
    if isinstance(value, list):
        if value and isinstance(value[0], (dict, list, Section)) or (value and _is_record(value[0])):
            return [(f"{path}[]", value[0])] + iter_paths(value[0], f"{path}[]")
        return []
    if _is_record(value):
        return [(f"{path}.{name}", getattr(value, name)) for name in _record_names(value)]
    return []


def _is_record(value: Any) -> bool:
    """Return True for a value type documented once by type (Change, Completion, Part…), not a figures Section."""
    return dataclasses.is_dataclass(value) and not isinstance(value, (type, Section))


def _record_names(value: Any) -> list[str]:
    fields = [f.name for f in dataclasses.fields(value)]
    properties = [n for n, v in vars(type(value)).items() if isinstance(v, property)]
    return fields + properties


def _descriptions_file() -> dict[str, Any]:
    """Return workbook_specs/template_variables.yaml: the Chinese descriptions of the template variables."""
    return load_yaml(specs_dir() / "template_variables.yaml", "模板变量说明文件", dict)


def load_descriptions() -> dict[str, str]:
    """Return path → Chinese description from workbook_specs/template_variables.yaml."""
    return {str(k): str(v) for k, v in _descriptions_file()["variables"].items()}


def undocumented_names() -> list[str]:
    """Return filters and value-type fields that have no Chinese description."""
    data = _descriptions_file()
    missing = [f"filters.{n}" for n in FILTERS if n not in data["filters"]]
    for kind, names in _types().items():
        missing += [f"types.{kind}.{n}" for n in names if n not in data["types"].get(kind, {})]
    return missing


def _types() -> dict[str, list[str]]:
    from ..profile import Conventions
    from ..comparisons import Change, Completion, Part

    return {kind.__name__: [f.name for f in dataclasses.fields(kind)]
            + [n for n, v in vars(kind).items() if isinstance(v, property)]
            for kind in (Change, Completion, Part, Conventions)}


def undocumented(context: dict[str, Any]) -> list[str]:
    """Return the context paths that have no description (the sync test asserts this is empty).

    Attributes of value types (Change, Completion, Part) are documented once, by type.
    """
    described = load_descriptions()
    return [p for p, _ in iter_paths(context) if p not in described and not _is_type_attribute(p, context)]


def _is_type_attribute(path: str, context: dict[str, Any]) -> bool:
    parent = path.rsplit(".", 1)[0]
    return any(p == parent and _is_record(v) for p, v in iter_paths(context))


def reference_markdown(context: dict[str, Any]) -> str:
    """Return the whole Chinese variable reference as Markdown."""
    described = load_descriptions()
    lines = ["# 模板变量参考", "", "本文件由 `python tools/gen_docs.py` 根据程序和样例工作簿自动生成，请勿手工修改。",
             "模板中用 `{{ 变量 }}` 输出，用 `{% for x in 列表 %}` 循环；示例值取自样例工作簿。", "",
             "## 变量", "", "| 变量 | 说明 | 示例 |", "|---|---|---|"]
    for path, value in iter_paths(context):
        if path in described:
            lines.append(f"| `{path}` | {described[path]} | {_example(value)} |")
    lines += _macro_docs()
    lines += _paragraph_keys()
    lines += ["", "## 数值类型的字段", "", "以下类型的对象出现在上面的变量中，可直接取其字段：", ""]
    lines += _type_docs()
    lines += ["", "## 过滤器", "", "| 过滤器 | 说明 | 用法 |", "|---|---|---|"]
    filters = _descriptions_file()["filters"]
    for name in FILTERS:
        lines.append(f"| `{name}` | {filters.get(name, '')} | `{{{{ 变量|{name} }}}}` |")
    return "\n".join(lines) + "\n"


def _example(value: Any) -> str:
    if hasattr(value, "__html__"):
        return "（图表）"
    if isinstance(value, (dict, list, Section)) or _is_record(value):
        return "（见下级）" if not isinstance(value, list) else f"列表，{len(value)} 项"
    if isinstance(value, Decimal):
        return cell(value)
    text = str(value).replace("|", "｜").replace("\n", " ")
    return text if len(text) <= 30 else text[:30] + "…"


def _type_docs() -> list[str]:
    types = _descriptions_file()["types"]
    lines = []
    for kind, names in _types().items():
        lines.append(f"- **{kind}**：{types[kind]['_']}")
        lines += [f"  - `{name}`：{types[kind].get(name, '')}" for name in names]
    return lines


_MACRO = re.compile(r"\{#\s*(?P<doc>[^#]*?)\s*#\}\s*\{%-?\s*macro\s+(?P<name>\w+)\((?P<args>[^)]*)\)")


def _macro_docs() -> list[str]:
    """Return the 句式宏 of every installed profile, with the comment written above each macro."""
    from ..profile import list_profiles

    lines = ["", "## 句式宏（模板旁的 .macros.jinja 文件）", "",
             "情况说明中反复出现的句子写成宏，放在模板旁的句式宏文件中；模板中像变量一样调用，如 "
             "`{{ change('收、支总计', fig.overall.change, fig.overall.reason) }}`。改宏文件中的一处，用到它的句子都会变。"
             "宏文件中的换行和缩进不进入文档。", ""]
    for profile in list_profiles():
        if profile.macros_path is None:
            continue
        lines += [f"### {profile.title}（{profile.macros}）", "", "| 宏 | 说明 |", "|---|---|"]
        for match in _MACRO.finditer(profile.macros_path.read_text(encoding="utf-8")):
            doc = " ".join(match["doc"].split()).replace("|", "｜")
            lines.append(f"| `{match['name']}({match['args'].strip()})` | {doc} |")
        lines.append("")
    return lines


def _paragraph_keys() -> list[str]:
    """Return the 段落编号 table of every installed profile's template (for the 文字调整 sheet)."""
    from ..profile import list_profiles
    from ..render.overrides import template_keys_with_headings

    lines = ["", "## 段落编号（“文字调整”工作表用）", "",
             "在工作簿的“文字调整”表中按编号替换某一段，或在其后追加一段。循环中的段落（如 五（三）的各项）"
             "在编号后加序号：`s5.3.item.3` 表示第 3 项；不加序号表示第 1 项。", ""]
    for profile in list_profiles():
        lines += [f"### {profile.title}（{profile.id}）", "", "| 段落编号 | 所在标题 |", "|---|---|"]
        lines += [f"| `{key}` | {heading} |" for key, heading in template_keys_with_headings(profile.template_path)]
        lines.append("")
    return lines
