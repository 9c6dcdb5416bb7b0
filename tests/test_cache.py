"""Caches never change a report: cached output equals uncached output; an edited template or spec is re-read."""

from __future__ import annotations

import shutil
from genreport.resources import spec_path
from genreport.spec import load_spec


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
