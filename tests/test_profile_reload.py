"""Loaders are keyed by the files' stamps, not by name: an edited installed profile is read again at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from genreport import resources
from genreport.catalogue import catalogue_for
from genreport.profile import load_profile

CHECKOUT = Path(__file__).resolve().parent.parent


@pytest.fixture
def installed(tmp_path, monkeypatch) -> Path:
    """Return a copy of the installed specs that genreport uses as its bundled files for this test."""
    bundled = tmp_path / "_bundled"
    for name in ("workbook_specs", "templates"):
        shutil.copytree(resources._asset_dir(name), bundled / name)
    monkeypatch.setattr(resources, "_BUNDLED", bundled)
    return bundled / "workbook_specs"


def test_an_edited_glossary_is_read_again(installed):
    before = load_profile("central").glossary_entries[0].text
    glossary = installed / "glossary" / "central.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(before, before + "（改）"), encoding="utf-8")
    assert load_profile("central").glossary_entries[0].text == before + "（改）"


def test_an_edited_check_message_is_read_again(installed):
    spec = load_profile("central").workbook_spec
    title = catalogue_for(spec).entry("missing-sheet").title
    checks = installed / "checks.yaml"
    checks.write_text(checks.read_text(encoding="utf-8").replace(f"title: {title}", f"title: {title}（改）", 1),
                      encoding="utf-8")
    assert catalogue_for(spec).entry("missing-sheet").title == f"{title}（改）"
    assert load_profile("central").catalogue.entry("missing-sheet").title == f"{title}（改）"
