"""The golden data in golden_seed.py is what the seed publication prints (needs ../shared beside the checkout).

On a bare clone these tests skip; test_golden.py still checks every figure through golden_seed.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from golden_seed import SECTION_FIGURES, TABLE_ROWS
from test_golden import TABLE_NUMBERS, _numbers, _sections

#: shared/ lies beside the checkout (CI copies it beside the fresh clone for its second pass).
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_a6e454eec524713b.txt"

pytestmark = [pytest.mark.seed,
              pytest.mark.skipif(not SEED.exists(), reason=f"种子文本不在（{SEED}）：仓库外的 ../shared 未放在检出目录旁")]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def test_section_figures_are_the_seeds(seed_text):
    text = seed_text[seed_text.index("第三部分 2024年度部门决算情况说明\n\n \n"): seed_text.index("第四部分 名词解释\n\n一、")]
    sections = _sections(text)
    assert list(sections) == list(SECTION_FIGURES)
    for number, body in sections.items():
        assert _numbers(body) == {Decimal(n) for n in SECTION_FIGURES[number]}, number


def _is_data(line: str) -> bool:
    first, second = (line.split("\t") + [""])[:2]
    if first == "" and second.isdigit():  # an unlabelled line of 01/04表 that still has its 行次
        return True
    return bool(re.match(r"^(\d{3,7}|[一二三四五六七八九十]+、|本年|年初|年末|使用|结余|总计|一般|政府|国有|\d+\.\d\d)", first)) or (
        first == "" and "合计" in line)


def test_table_rows_are_the_seeds(seed_text):
    body = seed_text[seed_text.index("第二部分 2024年度部门决算表\n\n"): seed_text.index("第三部分 2024年度部门决算情况说明\n\n \n")]
    for i, number in enumerate(TABLE_NUMBERS):
        chunk = body[body.index(number): body.index(TABLE_NUMBERS[i + 1]) if i + 1 < 9 else len(body)]
        rows = [line.split("\t") for line in chunk.splitlines() if "\t" in line and _is_data(line)]
        assert rows == TABLE_ROWS[number], number
