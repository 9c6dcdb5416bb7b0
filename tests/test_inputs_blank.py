"""Issue 13: whatever input is blank, generation with --force never crashes and never prints None, nan or a repr."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shanghai_support import shanghai_data

from genreport.api import generate_report
from genreport.excel import write_workbook
from genreport.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
#: What must never reach the document: Python's None/nan, a Decimal/dict/list repr, an unrendered tag.
LEAKS = re.compile(r"None|\bnan\b|NaN|Decimal\(|\{'|\['|\{\{|\{%|<genreport|object at 0x")
KEEP = {"profile": {"dept_name", "year", "profile"}}   # what names and dates the output file


def _seed() -> dict[str, Any]:
    import sys

    sys.path.insert(0, str(ROOT / "samples"))
    from build_sample import sample_data

    return sample_data(yaml.safe_load((ROOT / "samples" / "xinxiang-2024" / "seed_data.yaml").read_text("utf-8")))


SOURCES = {"standard": _seed(), "shanghai": shanghai_data()}


def _fields(data: dict[str, Any]) -> list[tuple[str, ...]]:
    """Return every input field of the data: ("forms", form, field) and ("lists", list, index, field)."""
    found: list[tuple[str, ...]] = [("forms", f, k) for f, values in data["forms"].items() for k in values
                                    if k not in KEEP.get(f, set())]
    for name, records in data.get("lists", {}).items():
        found += [("lists", name, str(i), k) for i, record in enumerate(records) for k in record]
    return found


def _blanked(data: dict[str, Any], chosen: list[tuple[str, ...]]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    for place in chosen:
        if place[0] == "forms":
            data["forms"][place[1]][place[2]] = None
        else:
            data["lists"][place[1]][int(place[2])][place[3]] = None
    return data


def document_text(path: Path) -> str:
    """Return every paragraph and table cell of a .docx (python-docx is a test dependency)."""
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _generate(tmp_path: Path, spec: str, data: dict[str, Any]) -> str:
    source = write_workbook(tmp_path / "w.xlsx", load_spec(spec), data)
    result = generate_report(source, tmp_path, force=True)
    assert result.output is not None, result.report.to_text()
    return document_text(result.output)


@pytest.mark.parametrize("spec", sorted(SOURCES))
def test_every_input_blank_at_once_still_generates(tmp_path, spec):
    data = SOURCES[spec]
    text = _generate(tmp_path, spec, _blanked(data, _fields(data)))
    assert not LEAKS.search(text), LEAKS.search(text)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(spec=st.sampled_from(sorted(SOURCES)), seed=st.randoms(use_true_random=False), share=st.floats(0.05, 0.6))
def test_random_blank_inputs_never_crash_or_print_none(tmp_path_factory, spec, seed, share):
    data = SOURCES[spec]
    fields = _fields(data)
    chosen = [f for f in fields if seed.random() < share]
    text = _generate(tmp_path_factory.mktemp("blank"), spec, _blanked(data, chosen))
    leak = LEAKS.search(text)
    assert leak is None, (chosen, text[max(0, leak.start() - 40):leak.end() + 40])


def test_blank_sangong_counts_give_a_document_without_none(tmp_path):
    data = _seed()
    for key in list(data["forms"]["sangong"]):
        data["forms"]["sangong"][key] = None
    text = _generate(tmp_path, "standard", data)
    assert "None" not in text and "购置车辆" not in text and "团组" not in text
