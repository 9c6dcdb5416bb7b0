"""The budget report against the seed publication itself (../shared/seed-budget; skipped when it is absent).

Every figure of the seed's narrative is printed by genreport, except the slips test_budget_golden names; every
table row of the seed (code, name and amounts in 元) is a row of the generated tables.
"""

from __future__ import annotations

import re

import pytest
from budget_support import BUDGET_SAMPLE, BUDGET_SEED
from docx import Document
from test_budget_golden import SEED_SLIPS

from genreport.api import generate_report

pytestmark = [pytest.mark.seed,  # CI runs these in its pass with ../shared present
              pytest.mark.skipif(not BUDGET_SEED.is_file(), reason="../shared/seed-budget is not beside the checkout")]

NUMBER = re.compile(r"(?<![\d.])\d[\d,]*(?:\.\d+)?")
ROW = re.compile(r"^\s*(\d{3})(?:\s+(\d{2}))?(?:\s+(\d{2}))?\s+(\S+)\s+((?:[\d,]+\.\d\d\s*)+)$")


@pytest.fixture(scope="module")
def seed() -> str:
    return BUDGET_SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Document:
    result = generate_report(BUDGET_SAMPLE, tmp_path_factory.mktemp("seed"))
    assert result.output is not None, result.report.to_text()
    return Document(str(result.output))


def _narrative(seed: str) -> str:
    """Return the seed's 编制说明, 其他相关情况说明 and 项目经费情况说明, lines joined."""
    start = seed.index("2025年部门预算编制说明\n")
    tables = seed.index("2025年部门财务收支预算总表\n编制部门")
    rest = seed.index("其他相关情况说明\n一、")
    return (seed[start:tables] + seed[rest:]).replace("\n", "")


def test_every_seed_figure_of_the_narrative_is_printed(seed, generated):
    text = "\n".join(p.text for p in generated.paragraphs)
    printed = {n.replace(",", "") for n in NUMBER.findall(text)}
    missing = []
    for number in NUMBER.findall(_narrative(seed)):
        plain = number.replace(",", "")
        if plain in SEED_SLIPS:
            assert SEED_SLIPS[plain][0] in printed, SEED_SLIPS[plain][1]
            continue
        if plain not in printed and f"{plain}.00" not in printed:  # the seed's “10万元” is printed 10.00
            missing.append(number)
    assert missing == []


def test_every_seed_table_row_is_a_generated_row(seed, generated):
    rows = [[c.text.strip() for c in row.cells] for table in generated.tables for row in table.rows]
    seen = 0
    for line in seed[seed.index("2025年部门财务收支预算总表\n编制部门"):seed.index("其他相关情况说明\n一、")].splitlines():
        match = ROW.match(line)
        if not match:
            continue
        code = "".join(part for part in match.groups()[:3] if part)
        amounts = match.group(5).split()
        assert any(code in row and match.group(4) in row and all(a in row for a in amounts) for row in rows), line
        seen += 1
    assert seen >= 80  # the coded rows of tables 2, 3, 5 and 8
