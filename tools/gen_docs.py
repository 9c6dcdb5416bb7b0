"""Regenerate the generated docs: docs/模板变量.md (template variables) and the variables section of
docs/样式编写指南.md (every profile's figures). Run after changing the context or a spec's figures."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "cli"))

from genreport.api import sample_context  # noqa: E402
from genreport.docbuild.guide import with_variables  # noqa: E402
from genreport.docbuild.variables import reference_markdown  # noqa: E402

GUIDE = ROOT / "docs" / "样式编写指南.md"
DOCS = {ROOT / "docs" / "模板变量.md": lambda: reference_markdown(sample_context()),
        GUIDE: lambda: with_variables(GUIDE.read_text(encoding="utf-8"))}

if __name__ == "__main__":
    for path, make in DOCS.items():
        path.write_text(make(), encoding="utf-8")
        print(f"wrote {path}")
