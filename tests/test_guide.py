"""docs/样式编写指南.md stays true: its walk-through runs step by step, every key is explained, its variables are current."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import msgspec
from docx import Document

from _hostile import run_cli
from genreport.rules import ChecksFile
from genreport.figspec import FUNCTIONS
from genreport.docbuild.guide import with_variables
from genreport.profile import Conventions, GlossaryFile, ProfileFile
from genreport.specschema import SpecFile

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "样式编写指南.md"
BLOCK = re.compile(r"^```(\w+)(?: ([^\n]*))?\n(.*?)^```", re.M | re.S)


def _blocks(section: str) -> list[tuple[str, str, str]]:
    return [(lang, info or "", body) for lang, info, body in BLOCK.findall(section)]


def test_the_walk_through_runs_from_export_to_a_generated_document(tmp_path, monkeypatch, sample_path):
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## 8."):text.index("## 9.")]
    monkeypatch.chdir(tmp_path)
    shutil.copy(sample_path, tmp_path / "样例.xlsx")
    expected = None
    for lang, info, body in _blocks(section):
        if lang == "console":
            for line in body.splitlines():
                args = line.removeprefix("$ genreport ").split()
                run = run_cli(*args)
                assert run.code == 0, (line, run.text)
        elif info.startswith("修改："):
            path = tmp_path / info.removeprefix("修改：")
            content = path.read_text(encoding="utf-8")
            for change in body.splitlines():
                old, new = change.split(" → ")
                assert old in content, (path, old)
                content = content.replace(old, new, 1)
            path.write_text(content, encoding="utf-8")
        elif info.startswith("新建："):
            (tmp_path / info.removeprefix("新建：")).write_text(body, encoding="utf-8")
        elif info.startswith("模板："):
            path = tmp_path / info.removeprefix("模板：")
            start, added = body.strip().split(" → ")
            document = Document(str(path))
            paragraph = next(p for p in document.paragraphs if p.text.startswith(start))
            paragraph.runs[-1].text += added
            document.save(str(path))
        elif info == "结果":
            expected = body.strip()
    assert expected
    out = next((tmp_path / "输出").glob("*.docx"))
    assert expected in "\n".join(p.text for p in Document(str(out)).paragraphs)


def _struct_keys(kind) -> set[str]:
    keys: set[str] = set()
    for field in msgspec.structs.fields(kind):
        keys.add(field.encode_name)
        for inner in re.findall(r"\b([A-Z]\w+)\b", str(field.type)):
            found = getattr(__import__(kind.__module__, fromlist=[inner]), inner, None)
            if isinstance(found, type) and issubclass(found, msgspec.Struct):
                keys |= _struct_keys(found)
    return keys


def test_every_key_and_function_is_explained():
    text = GUIDE.read_text(encoding="utf-8")
    keys = (_struct_keys(SpecFile) | _struct_keys(ChecksFile) | _struct_keys(ProfileFile) | _struct_keys(GlossaryFile)
            | {f.name for f in dataclasses.fields(Conventions)} | set(FUNCTIONS))
    missing = sorted(k for k in keys if f"`{k}" not in text and not re.search(rf"[\s{{(,]{k}[:,()}}]", text))
    assert missing == [], f"docs/样式编写指南.md 没有说明：{missing}"


def test_the_variables_of_every_profile_are_current():
    text = GUIDE.read_text(encoding="utf-8")
    assert text == with_variables(text), "请运行 python tools/gen_docs.py 重新生成文档"
