"""The one YAML reader: libyaml's safe loader when present, and schema checks whose errors name file and key path.

A schema is a msgspec type (a Struct listing every key of a file: specschema.py, rules.py,
profile.py; or a plain type such as dict). msgspec was chosen over pydantic: one small compiled
package with no dependencies, strict types, unknown keys refused, and errors that carry the key path;
`validate_as` turns them into one Chinese sentence such as
"workbook_specs/standard.yaml 中 tables[3].columns[0].id 应为文字".
"""

from __future__ import annotations

import marshal
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .contentcache import cache_key, cached
from .errors import SpecError

_BOOL = "tag:yaml.org,2002:bool"
#: Change when the loader's rules change (the parsed data of an unchanged file would differ).
LOADER_RULES = "yaml-1.2-booleans"


@lru_cache(maxsize=1)
def _loader() -> type:
    """Return the safe loader where only true/false are booleans (YAML 1.2): a column id `no` stays the text "no"."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != _BOOL]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    return Loader


def parse_yaml(text: str) -> Any:
    """Return parsed YAML text (libyaml's C loader when available, ~10× faster than pure Python)."""
    import yaml

    return yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader


def load_yaml(path: Path, what: str = "配置文件", schema: Any = None) -> Any:
    """Return the data of the YAML file at path, validated against schema when given.

    what names the kind of file in messages (工作簿说明文件, 校验规则文件…). A missing file, invalid
    YAML or data that does not match the schema raises SpecError naming the file. The parsed data of a
    text already read (here or by an earlier process) comes from the cache (contentcache.py), a fresh copy
    each time; an edited file has another key and is parsed again.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise SpecError(f"找不到{what}：{shown(path)}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{what} {shown(path)} 无法读取：{exc}") from None
    key = cache_key("yaml", text, LOADER_RULES, repr(schema))
    try:
        packed = cached(key, lambda: marshal.dumps(_checked(text, path, what, schema)), bytes, bytes)
    except ValueError:  # a value marshal cannot keep (a YAML date): parsed every time
        return _checked(text, path, what, schema)
    return marshal.loads(packed)


def _checked(text: str, path: Path, what: str, schema: Any) -> Any:
    import yaml

    try:
        data = parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第 {mark.line + 1} 行附近" if mark is not None else ""
        raise SpecError(f"{what} {shown(path)} 不是合法的 YAML（{line}{getattr(exc, 'problem', '') or exc}）") from None
    if schema is not None:
        validate_as(data, schema, path)
    return data


def shown(path: Path) -> str:
    """Return path as the user knows it: workbook_specs/x.yaml for a bundled file, else the path given."""
    from .resources import specs_dir

    try:
        return str(Path(path).resolve().relative_to(specs_dir().resolve().parent)).replace("\\", "/")
    except ValueError:
        return str(path)


_MSGSPEC_KINDS = {"str": "文字", "int": "整数", "float": "数", "bool": "是或否（true/false）", "array": "列表",
                  "object": "键值表", "null": "空"}


def validate_as(data: Any, kind: type, path: Path) -> None:
    """Raise SpecError naming path and the key path where data does not match kind (a msgspec Struct type).

    msgspec checks every key and type in one pass; its error is turned into one Chinese sentence such as
    "workbook_specs/checks.yaml 中 identities[3].exprr 不是可用的键，是否应为 expr".
    """
    import msgspec

    try:
        msgspec.convert(data, kind, strict=True)
    except msgspec.ValidationError as error:
        raise SpecError(f"{shown(path)} 中 {_translated(str(error), kind)}") from None


def _translated(message: str, kind: type) -> str:
    """Return a msgspec validation message in Chinese, with its `$.a[0].b` path as a[0].b."""
    text, _, at = message.partition(" - at `$")
    where = at.rstrip("`").lstrip(".")
    prefix = f"{where}." if where else ""
    found = re.match(r"Object contains unknown field `(.+)`", text)
    if found:
        keys = _struct_keys(kind, where)
        from difflib import get_close_matches

        close = get_close_matches(found.group(1), keys, n=1)
        hint = f"，是否应为 {close[0]}" if close else (f"，可用的键：{'、'.join(keys)}" if keys else "")
        return f"{prefix}{found.group(1)} 不是可用的键{hint}"
    found = re.match(r"Object missing required field `(.+)`", text)
    if found:
        return f"缺少 {prefix}{found.group(1)}"
    found = re.match(r"Expected `(.+?)`, got `(.+?)`", text)
    if found:
        kinds = [k.strip() for k in found.group(1).split("|")]
        kinds = [k for k in kinds if k != "null"] or kinds  # an optional key: say what it should be
        wanted = "或".join(_MSGSPEC_KINDS.get(k, k) for k in kinds)
        return f"{where or '顶层'} 应为{wanted}"
    found = re.match(r"Invalid enum value (.+)", text)
    if found:
        info = _type_at(kind, where)
        allowed = "、".join(map(str, getattr(info, "values", ())))
        return f"{where or '顶层'} 的值 {found.group(1)} 不是可用的取值" + (f"（可用：{allowed}）" if allowed else "")
    return f"{where or '顶层'} 有误（{text}）"


def _struct_keys(kind: Any, where: str) -> list[str]:
    """Return the keys of the Struct at key path where (a[0].b) inside kind; [] when it is not a Struct."""
    import msgspec

    info = _type_at(kind, where)
    while isinstance(info, msgspec.inspect.UnionType):
        info = next((t for t in info.types if isinstance(t, msgspec.inspect.StructType)), info.types[0])
    return [f.encode_name for f in info.fields] if isinstance(info, msgspec.inspect.StructType) else []


def _type_at(kind: Any, where: str) -> Any:
    """Return msgspec's description of the type at key path where (a[0].b) inside kind."""
    import msgspec

    info: Any = msgspec.inspect.type_info(kind)
    for step in re.findall(r"\w+|\[\d+\]", where):
        while isinstance(info, msgspec.inspect.UnionType):
            info = next((t for t in info.types if not isinstance(t, msgspec.inspect.NoneType)), info.types[0])
        if step.startswith("["):
            info = getattr(info, "item_type", info)
        elif isinstance(info, msgspec.inspect.StructType):
            info = next((f.type for f in info.fields if f.encode_name == step), info)
        elif isinstance(info, msgspec.inspect.DictType):
            info = info.value_type
    return info
