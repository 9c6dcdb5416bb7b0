"""Regenerate the generated docs: docs/模板变量.md (template variables). Run after changing the context."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "cli"))

from genreport.api import sample_context  # noqa: E402
from genreport.render.reference import reference_markdown  # noqa: E402

DOCS = {ROOT / "docs" / "模板变量.md": lambda: reference_markdown(sample_context())}

if __name__ == "__main__":
    for path, make in DOCS.items():
        path.write_text(make(), encoding="utf-8")
        print(f"wrote {path}")
