"""Shared fixtures: the spec, the seed sample workbook, and a builder for modified copies of it."""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))

from build_sample import sample_data  # noqa: E402

from genreport.excel import write_workbook  # noqa: E402
from genreport.spec import WorkbookSpec, load_spec  # noqa: E402

SAMPLE = ROOT / "samples" / "xinxiang-2024" / "workbook.xlsx"
SEED_DATA = ROOT / "samples" / "xinxiang-2024" / "seed_data.yaml"


@pytest.fixture(scope="session")
def spec() -> WorkbookSpec:
    return load_spec("standard")


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def seed_plain_data() -> dict[str, Any]:
    """The sample workbook's content as the plain dict write_workbook takes."""
    return sample_data(yaml.safe_load(SEED_DATA.read_text(encoding="utf-8")))


@pytest.fixture
def make_workbook(tmp_path: Path, spec: WorkbookSpec, seed_plain_data: dict[str, Any]) -> Callable[..., Path]:
    """Return build(mutate=None, name=...) → path of an .xlsx built from the sample data after mutate(data)."""

    def build(mutate: Callable[[dict[str, Any]], None] | None = None, name: str = "workbook.xlsx") -> Path:
        data = copy.deepcopy(seed_plain_data)
        if mutate:
            mutate(data)
        return write_workbook(tmp_path / name, spec, data)

    return build


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Return profile → (sample workbook, its generated .docx) for every bundled profile, made once a session."""
    from genreport.api import generate_report
    from publication_support import sample_sources

    folder = tmp_path_factory.mktemp("publications")
    made = {}
    for profile, source in sample_sources(folder).items():
        result = generate_report(source, folder / f"{profile}.docx")
        assert result.output is not None, result.report.to_text()
        made[profile] = (source, result.output)
    return made


@pytest.fixture(scope="session")
def documents(generated) -> dict[str, tuple[Path, Path, Path]]:
    """Return profile → (sample workbook, .docx, its PDF by LibreOffice), converted once a session (slow tests)."""
    from genreport.pdf import find_soffice, finish_document

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) not installed")
    made = {}
    for profile, (source, docx) in generated.items():
        office = finish_document(docx, pdf=True)
        assert office.pdf is not None, office.notes
        made[profile] = (source, docx, office.pdf)
    return made


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """A private temporary folder for genreport and LibreOffice, so that leftovers can be counted; afterwards every
    office this process started is closed and every process still naming the folder ended."""
    import os
    import signal
    import tempfile

    from genreport import pdf
    from process_support import processes_mentioning

    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setenv("TMPDIR", str(root))
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    yield root
    pdf.close_offices()
    for pid in processes_mentioning(root):
        os.kill(pid, signal.SIGKILL)
