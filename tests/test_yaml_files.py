"""A broken spec, check catalogue or code list gives one Chinese sentence naming the file and the key path."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from genreport.catalogue import load_catalogue
from genreport.errors import SpecError
from genreport.resources import specs_dir
from genreport.spec import load_spec
import msgspec

from genreport.yamlfile import load_yaml, validate_as


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    """A copy of the bundled specs a test may break."""
    shutil.copytree(specs_dir(), tmp_path / "workbook_specs")
    return tmp_path / "workbook_specs"


def _break(path: Path, old: str, new: str) -> None:
    """Replace the first match of the regular expression old in the file."""
    text = path.read_text(encoding="utf-8")
    assert re.search(old, text), old
    path.write_text(re.sub(old, new, text, count=1), encoding="utf-8")


def _error(name: Path) -> str:
    load_spec.cache_clear()
    with pytest.raises(SpecError) as caught:
        load_spec(str(name))
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_wrong_type_names_file_and_key_path(specs):
    _break(specs / "standard.yaml", r"\{id: code, role: code", "{id: [code], role: code")
    message = _error(specs / "standard.yaml")
    assert re.fullmatch(r".*standard\.yaml 中 tables\[\d\]\.columns\[0\]\.id 应为文字", message), message


def test_wrong_type_inside_a_block_of_an_extending_spec(specs):
    _break(specs / "shanghai.yaml", r"\{id: label, role: label, width: \d+\}", "{id: label, role: label, width: 宽}")
    assert _error(specs / "shanghai.yaml").endswith("shanghai.yaml 中 tables[0].blocks[0].columns[0].width 应为整数")


def test_wrong_type_of_a_scalar(specs):
    _break(specs / "standard.yaml", r"landscape: true", "landscape: 横向")
    message = _error(specs / "standard.yaml")
    assert "standard.yaml 中 tables[" in message and "].landscape 应为是或否" in message


def test_wrong_key_suggests_the_right_one(specs):
    _break(specs / "shanghai.yaml", r"\n    note:", "\n    nte:")
    message = _error(specs / "shanghai.yaml")
    assert message.endswith("shanghai.yaml 中 tables[0].nte 不是可用的键，是否应为 note")


def test_missing_required_key(specs):
    text = (specs / "standard.yaml").read_text(encoding="utf-8")
    (specs / "standard.yaml").write_text(text.replace("\nunit:", "\nunits:", 1), encoding="utf-8")
    assert "standard.yaml 中 units 不是可用的键，是否应为 unit" in _error(specs / "standard.yaml")
    (specs / "standard.yaml").write_text(text.replace("\nid: standard", "\n", 1), encoding="utf-8")
    assert _error(specs / "standard.yaml").endswith("standard.yaml 中 缺少 id")


def test_missing_file_is_named(specs):
    _break(specs / "shanghai.yaml", r"extends: standard", "extends: nosuch")
    assert "找不到工作簿说明文件" in _error(specs / "shanghai.yaml") and "nosuch.yaml" in _error(specs / "shanghai.yaml")


def test_invalid_yaml_names_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\ntables: [\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"bad\.yaml 不是合法的 YAML（第 3 行附近"):
        load_yaml(path, "工作簿说明文件")


def test_bundled_file_is_named_by_its_folder():
    class Keys(msgspec.Struct):
        x: str

    with pytest.raises(SpecError, match=r"^workbook_specs/standard\.yaml 中 x 应为文字$"):
        validate_as({"x": 1}, Keys, specs_dir() / "standard.yaml")


def test_catalogue_entry_of_wrong_type(tmp_path):
    path = tmp_path / "checks.yaml"
    path.write_text("catalogue:\n  - {code: a-b, group: T, severity: error, title: [标题]}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"checks\.yaml 中 catalogue\[0\]\.title 应为文字"):
        load_catalogue(path)


def test_catalogue_message_for_an_unknown_code(tmp_path):
    path = tmp_path / "checks.yaml"
    path.write_text("catalogue:\n  - {code: a-b, group: T, severity: error, title: 标题}\n"
                    "messages:\n  a-c: 说明\n", encoding="utf-8")
    with pytest.raises(SpecError, match="a-c"):
        load_catalogue(path)


def test_spec_inherits_its_check_catalogue_through_extends(specs):
    (specs / "mine.yaml").write_text("checks: mine-checks.yaml\n" + (specs / "standard.yaml").read_text(
        encoding="utf-8").replace("checks: checks.yaml", ""), encoding="utf-8")
    (specs / "child.yaml").write_text("extends: mine\nid: child\n", encoding="utf-8")
    load_spec.cache_clear()
    assert load_spec(str(specs / "child.yaml")).checks == "mine-checks.yaml"


def _profile_error(folder: Path) -> str:
    from genreport.profile import load_profile

    load_profile.cache_clear()
    with pytest.raises(SpecError) as caught:
        load_profile(str(folder))
    return str(caught.value)


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    """A profile folder as `genreport template export` writes it."""
    from genreport.api import export_template

    export_template(tmp_path / "样式", "central")
    return tmp_path / "样式"


def test_broken_profile_names_file_and_key(exported):
    path = exported / "workbook_specs" / "profiles" / "central.yaml"
    _break(path, r"\nglossary:", "\nglosary:")
    assert _profile_error(exported).endswith("central.yaml 中 glosary 不是可用的键，是否应为 glossary")


def test_profile_convention_of_wrong_type(exported):
    path = exported / "workbook_specs" / "profiles" / "central.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "conventions:\n  charts: [否]\n", encoding="utf-8")
    assert _profile_error(exported).endswith("central.yaml 中 conventions.charts 应为是或否（true/false）")


def test_profile_grading_scale_needs_a_lowest_grade_at_zero(exported):
    path = exported / "workbook_specs" / "profiles" / "central.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "conventions:\n  grades: {优: 90, 良: 75}\n", encoding="utf-8")
    assert "central.yaml 中 conventions.grades 应列出每个等级的最低分" in _profile_error(exported)


def test_profile_self_reference_may_only_name_the_kind(exported):
    path = exported / "workbook_specs" / "profiles" / "central.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "conventions:\n  org_self: 我{dept}\n", encoding="utf-8")
    assert "conventions.org_self 中只能用 {kind}" in _profile_error(exported)


def test_profile_naming_a_missing_glossary(exported):
    (exported / "workbook_specs" / "glossary" / "central.yaml").unlink()
    _break(exported / "workbook_specs" / "profiles" / "central.yaml", r"\nglossary: central", "\nglossary: nosuch")
    assert re.fullmatch(r".*central\.yaml 中 glossary 指向的文件不存在：.*glossary/nosuch\.yaml", _profile_error(exported))


def test_profile_naming_a_missing_template(exported):
    (exported / "report.docx").rename(exported / "旧.docx")
    assert "central.yaml 中 template 指向的文件不存在" in _profile_error(exported)
