"""Caches never change a report: cached output equals uncached output; an edited template or spec is re-read."""

from __future__ import annotations

import shutil
import zipfile

import msgspec
import pytest
from docx import Document

from genreport import contentcache
from genreport.api import generate_report
from genreport.render import cache
from genreport.resources import default_template, spec_path
from genreport.profile import load_profile
from genreport.errors import SpecError
from genreport.spec import load_spec
from genreport.yamlfile import load_yaml


@pytest.fixture
def disk_cache(tmp_path, monkeypatch):
    """A fresh, empty cache (templates, YAML files) on disk and in memory."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("GENREPORT_CACHE", str(folder))
    monkeypatch.setattr(contentcache, "_memory", {})
    return folder


def _members(docx):
    with zipfile.ZipFile(docx) as package:
        return {name: package.read(name) for name in package.namelist()}


def _template():
    return default_template() or load_profile().template_path


def test_output_from_the_cache_equals_output_without_it(sample_path, tmp_path, disk_cache, monkeypatch):
    first = generate_report(sample_path, tmp_path / "first.docx").output  # fills the disk cache
    assert any(disk_cache.glob("jinja-*")) and any(disk_cache.glob("xml-*"))
    monkeypatch.setattr(contentcache, "_memory", {})  # a new process: everything comes from disk
    cached = generate_report(sample_path, tmp_path / "cached.docx").output
    monkeypatch.setenv("GENREPORT_CACHE", "off")
    monkeypatch.setattr(contentcache, "_memory", {})
    uncached = generate_report(sample_path, tmp_path / "uncached.docx").output
    assert _members(cached) == _members(uncached) == _members(first)


def test_an_edited_template_is_prepared_and_compiled_again(sample_path, tmp_path, disk_cache, monkeypatch):
    template = tmp_path / "report.docx"
    shutil.copyfile(_template(), template)
    generate_report(sample_path, tmp_path / "before.docx", template=template)
    edited = Document(str(template))
    edited.add_paragraph("编辑新增：{{ dept_name }}的补充说明")
    edited.save(str(template))
    monkeypatch.setattr(contentcache, "_memory", {})
    after = generate_report(sample_path, tmp_path / "after.docx", template=template).output
    texts = [p.text for p in Document(str(after)).paragraphs]
    assert any(t.startswith("编辑新增：") and "{{" not in t and len(t) > len("编辑新增：的补充说明") for t in texts)


def test_a_damaged_cache_file_is_ignored(sample_path, tmp_path, disk_cache, monkeypatch):
    good = generate_report(sample_path, tmp_path / "good.docx").output
    for entry in disk_cache.iterdir():
        entry.write_bytes(b"\x00garbage")
    monkeypatch.setattr(contentcache, "_memory", {})
    again = generate_report(sample_path, tmp_path / "again.docx").output
    assert _members(again) == _members(good)


def test_an_edited_spec_is_read_again(tmp_path):
    folder = tmp_path / "specs"
    folder.mkdir()
    copy = folder / "standard.yaml"
    shutil.copyfile(spec_path("standard"), copy)
    before = load_spec(str(copy))
    assert load_spec(str(copy)) is before  # unchanged: served from the cache
    text = copy.read_text(encoding="utf-8")
    title = before.tables[0].title
    copy.write_text(text.replace(title, title + "（改）", 1) + "\n", encoding="utf-8")
    assert load_spec(str(copy)).tables[0].title == title + "（改）"


def test_line_breaks_in_text_still_become_word_breaks(tmp_path):
    """The listing pass is skipped only when no text needs it: a typed line break still prints as one."""
    source = tmp_path / "t.docx"
    blank = Document()
    blank.add_paragraph("{{ text }}")
    blank.add_paragraph("无换行")
    blank.save(str(source))
    for text, breaks in (("第一行\n第二行", 1), ("一行", 0)):
        tpl = cache.PreparedTemplate(str(source))
        tpl.render({"text": text}, autoescape=True)
        body = tpl.get_xml()
        assert body.count("<w:br/>") == breaks
        assert text.split("\n")[-1] in body


def test_a_cached_yaml_file_is_a_fresh_copy_and_an_edit_is_parsed_again(tmp_path, disk_cache, monkeypatch):
    source = tmp_path / "list.yaml"
    source.write_text("codes:\n  - 201\n  - 202\n", encoding="utf-8")
    first = load_yaml(source)
    assert any(disk_cache.glob("yaml-*"))
    first["codes"].append(999)  # a caller changing its copy changes nobody else's
    monkeypatch.setattr(contentcache, "_memory", {})  # a new process: from disk
    assert load_yaml(source) == {"codes": [201, 202]}
    assert load_yaml(source) is not load_yaml(source)
    source.write_text("codes:\n  - 201\n", encoding="utf-8")
    assert load_yaml(source) == {"codes": [201]}


def test_a_file_that_fails_its_schema_fails_every_time(tmp_path, disk_cache):
    source = tmp_path / "bad.yaml"
    source.write_text("id: 3\n", encoding="utf-8")
    for _ in range(2):  # nothing was cached by the first failure
        with pytest.raises(SpecError, match="id 应为文字"):
            load_yaml(source, schema=msgspec.defstruct("Keys", [("id", str)]))


def test_the_collector_is_paused_for_one_command_and_restored_even_after_a_failure():
    import gc

    from genreport.collector import collector_paused

    assert gc.isenabled()
    with pytest.raises(ValueError):
        with collector_paused():
            assert not gc.isenabled()
            raise ValueError
    assert gc.isenabled()


def test_column_tags_still_get_docxtpls_column_repair(tmp_path):
    """fix_tables is skipped only for templates without {%tc %}: with a column loop the output is docxtpl's own."""
    from docxtpl import DocxTemplate

    source = tmp_path / "tc.docx"
    blank = Document()
    table = blank.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("{%tc for x in items %}", "{{ x }}", "{%tc endfor %}")):
        cell.text = text
    blank.save(str(source))
    rendered = []
    for kind in (cache.PreparedTemplate, DocxTemplate):
        tpl = kind(str(source))
        tpl.render({"items": ["甲", "乙", "丙", "丁"]}, autoescape=True)
        rendered.append(tpl.get_xml())
    assert rendered[0] == rendered[1] and rendered[0].count("<w:gridCol") == 4  # three columns became four


def test_a_batch_workbooks_garbage_cycles_are_freed_when_it_is_done():
    import gc
    import weakref

    from genreport.collector import collected_afterwards

    class Node:
        pass

    with collected_afterwards():
        node = Node()
        node.self = node  # a cycle: only the collector frees it
        alive = weakref.ref(node)
        del node
        assert alive() is not None and not gc.isenabled()
    assert alive() is None and gc.isenabled()


#: The docxtpl range pyproject.toml allows, for which the pins below were checked.
DOCXTPL_RANGE = ("0.20", "0.21")
#: The docxtpl methods render/cache.PreparedTemplate overrides: parameters, a hash of docxtpl's source (the code each
#: override was checked against) and the docxtpl methods that must still call it.
DOCXTPL_PINS = {
    "patch_xml": (["self", "src_xml"], "1e87640aeac25d74",
                  {"build_xml", "build_headers_footers_xml", "render_footnotes", "get_undeclared_template_variables"}),
    "fix_tables": (["self", "xml"], "9d21bf6710e4343a", {"render"}),
    "resolve_listing": (["self", "xml"], "79b15c9c1a8ed369", {"render_xml_part"}),
}


def _self_calls(cls) -> dict[str, set[str]]:
    """Return method name → the names it calls on self, from the class's source."""
    import ast
    import inspect
    import textwrap

    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    return {f.name: {n.func.attr for n in ast.walk(f) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                     and isinstance(n.func.value, ast.Name) and n.func.value.id == "self"}
            for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}


def test_the_docxtpl_methods_the_template_cache_overrides_are_the_ones_it_was_checked_against():
    """A docxtpl that renames, re-signs, rewrites or stops calling them fails here: check render/cache.py (and the
    charts' use of current_rendering_part) against the new code, then update the pins and DOCXTPL_RANGE."""
    import hashlib
    import inspect
    import re
    import textwrap
    from pathlib import Path

    import docxtpl
    from docxtpl import DocxTemplate

    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"docxtpl>=([\d.]+),<([\d.]+)"', pyproject).groups() == DOCXTPL_RANGE

    def version(text):
        return tuple(int(part) for part in text.split(".")[:3])

    assert version(DOCXTPL_RANGE[0]) <= version(docxtpl.__version__) < version(DOCXTPL_RANGE[1])
    calls = _self_calls(DocxTemplate)
    for name, (parameters, digest, callers) in DOCXTPL_PINS.items():
        base = getattr(DocxTemplate, name)
        assert list(inspect.signature(base).parameters) == parameters, name
        assert list(inspect.signature(getattr(cache.PreparedTemplate, name)).parameters) == parameters, name
        source = textwrap.dedent(inspect.getsource(base)).encode("utf-8")
        assert hashlib.sha256(source).hexdigest()[:16] == digest, name
        assert {caller for caller, called in calls.items() if name in called} == callers, name
    assert "self.current_rendering_part = part" in inspect.getsource(DocxTemplate.render_xml_part)


def test_the_cache_folder_is_the_users_cache_folder_unless_genreport_cache_names_one(tmp_path, monkeypatch):
    import sys

    from platformdirs import user_cache_path

    monkeypatch.delenv("GENREPORT_CACHE", raising=False)
    assert contentcache.cache_dir() == user_cache_path("genreport", appauthor=False) / "templates"
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert contentcache.cache_dir() == tmp_path / "xdg" / "genreport" / "templates"
    monkeypatch.setenv("GENREPORT_CACHE", str(tmp_path / "mine"))
    assert contentcache.cache_dir() == tmp_path / "mine"
    for off in ("off", "OFF", "0", "no"):
        monkeypatch.setenv("GENREPORT_CACHE", off)
        assert contentcache.cache_dir() is None
