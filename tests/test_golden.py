"""Golden test: the sample's report carries every figure and every table row the seed publication prints.

The seed's figures and table rows live in golden_seed.py as data, so this runs on a bare clone; test_golden_seed.py
checks that data against shared/seed/000_a6e454eec524713b.txt when shared/ is beside the checkout. Where the
seed itself is wrong, SEED_MISTAKES names the seed's figure, the correct one, and why.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from docx import Document
from golden_seed import SECTION_FIGURES, TABLE_ROWS

from genreport.api import generate_report

SECTION = re.compile(r"^(十[一二三]|[一二三四五六七八九十])、(.+?情况说明)$", re.M)
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")

#: section → {seed figure: (correct figure, why)}. Each is a figure the seed prints that we must NOT repeat.
SEED_MISTAKES = {
    "六": {Decimal("1207.47"): (Decimal("1207.46"), "六 must print 05表 合计 基本支出 (1,207.46, as 三 does); "
                                 "the seed printed the 06表 sum 1,134.23 + 73.24, a 尾差 of 0.01")},
    "七": {Decimal("100.00"): (None, "年初预算 is 0, so no completion rate may be printed; the seed wrote 100.00%")},
    "十三": {Decimal("90.05"): (Decimal("96.72"), "the mean of the 15 printed project scores is 1,450.76 / 15 = 96.72; "
                                "90.05 is neither that nor the budget-weighted mean 88.78")},
}


def _numbers(text: str) -> set[Decimal]:
    text = re.sub(r"图\d：", "", text)  # chart captions are not figures
    return {Decimal(n.replace(",", "")) for n in NUMBER.findall(text)}


def _sections(text: str) -> dict[str, str]:
    """Return section number (一…十三) → its text with line breaks removed."""
    marks = list(SECTION.finditer(text))
    return {m.group(1): text[m.end(): marks[i + 1].start() if i + 1 < len(marks) else len(text)].replace("\n", "")
            for i, m in enumerate(marks)}


@pytest.fixture(scope="module")
def report_doc(sample_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("golden")
    result = generate_report(sample_path, out)
    assert result.output is not None, result.report.to_text()
    return Document(str(result.output))


@pytest.fixture(scope="module")
def narrative(report_doc) -> dict[str, str]:
    paragraphs = [p.text for p in report_doc.paragraphs]
    headings = [i for i, p in enumerate(report_doc.paragraphs) if p.style.name == "Heading 1"]
    start = next(i for i in headings if paragraphs[i].startswith("第三部分"))
    end = next(i for i in headings if paragraphs[i].startswith("第四部分"))
    return _sections("\n".join(paragraphs[start:end]))


def test_every_section_of_the_seed_is_present(narrative):
    assert list(narrative) == list(SECTION_FIGURES) == [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]


@pytest.mark.parametrize("section", ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"])
def test_every_seed_figure_is_printed(section, narrative):
    mistakes = SEED_MISTAKES.get(section, {})
    ours = _numbers(narrative[section])
    missing = sorted({Decimal(n) for n in SECTION_FIGURES[section]} - ours - set(mistakes))
    assert missing == [], f"section {section}: seed figures not in our text: {missing}"
    for wrong, (right, why) in mistakes.items():
        assert wrong not in ours, why
        if right is not None:
            assert right in ours, why


KEY_PHRASES = [
    ("一", "收、支总计均为10,394.91万元"), ("一", "各增加3,590.27万元，增长52.76%"),
    ("二", "财政拨款收入8,637.14万元，占100.00%"),
    ("三", "基本支出1,207.46万元，占11.62%；项目支出9,187.45万元，占88.38%"),
    ("五", "占支出合计的57.70%"), ("五", "增加2,971.53万元，增长98.18%"),
    ("五", "一般公共服务（类）支出1,488.40万元，占24.81%"), ("五", "科学技术（类）支出4,281.60万元，占71.38%"),
    ("五", "社会保障和就业（类）支出143.81万元，占2.40%"), ("五", "卫生健康（类）支出81.38万元，占1.36%"),
    ("五", "农林水（类）支出3.00万元，占0.05%"), ("五", "完成年初预算的90.13%"),
    ("五", "完成年初预算的102.28%"), ("五", "完成年初预算的94.85%"), ("五", "完成年初预算的110.29%"),
    ("五", "完成年初预算的85.63%"), ("五", "完成年初预算的149.60%"), ("五", "完成年初预算的112.91%"),
    ("五", "完成年初预算的108.36%"), ("五", "完成年初预算的92.10%"), ("五", "完成年初预算的89.13%"),
    ("五", "完成年初预算的111.38%"), ("五", "完成年初预算的101.41%"),
    ("五", "年初预算为0万元，支出决算为3.00万元，决算数与年初预算数存在差异的主要原因是"),
    ("六", "人员经费1,134.23万元"), ("六", "公用经费73.24万元"),
    ("九", "支出决算为2.24万元，完成预算的86.15%"), ("九", "完成预算的100.00%，占93.75%"),
    ("九", "完成预算的28.00%，占6.25%"), ("九", "公务用车保有量为2辆"), ("九", "来宾14人次"),
    ("十", "比2023年度增加22.20万元，增长43.50%"),
    ("十一", "占政府采购支出总额的5.72%"), ("十一", "占授予中小企业合同金额的100.00%"),
    ("十三", "项目12个，共涉及资金4,790.74万元，占一般公共预算项目支出总额的100.00%"),
    ("十三", "全年安排项目15个，项目全年预算资金总额45,923.07万元，全年实际执行总数为9,187.46万元，预算执行率为20.01%"),
    ("十三", "等级优13个，等级良2个"), ("十三", "整体自评得分为92.45分"), ("十三", "预算执行率为22.01%"),
]


@pytest.mark.parametrize(("section", "phrase"), KEY_PHRASES)
def test_key_sentences(section, phrase, narrative):
    assert phrase in narrative[section]


def test_zero_budget_sentences_print_no_rate(narrative):
    """The seed's "年初预算为0万元…完成年初预算的100.00%" and "完成预算的0%" are not repeated."""
    assert "完成年初预算" not in narrative["七"]
    assert "完成年初预算" not in narrative["八"]
    assert "因公出国（境）费预算为0万元，支出决算为0万元。决算数与预算数无差异" in narrative["九"]


# ---- tables -------------------------------------------------------------------------------

TABLE_NUMBERS = [f"公开0{i}表" for i in range(1, 10)]


@pytest.fixture(scope="module")
def our_tables(report_doc) -> dict[str, list[list[str]]]:
    tables = {}
    for number, table in zip(TABLE_NUMBERS, report_doc.tables):
        tables[number] = [[c.text for c in row.cells] for row in table.rows]
    return tables


def _normalise(row: list[str], width: int) -> list[str]:
    cells = [c.strip() for c in row][:width]
    return cells + [""] * (width - len(cells))


@pytest.mark.parametrize("number", ["公开01表", "公开02表", "公开04表", "公开05表", "公开06表", "公开07表"])
def test_every_seed_table_row_is_printed(number, our_tables):
    ours = [_normalise(r, len(r)) for r in our_tables[number]]
    width = len(ours[-1])
    missing = [row for row in TABLE_ROWS[number] if _normalise(row, width) not in ours]
    assert missing == []


def test_table_03_rows(our_tables):
    """The seed's 03表 has a stray 栏次 column at the end; its data cells must all match ours."""
    ours = [r[:8] for r in our_tables["公开03表"]]
    seed = [_normalise(r, 8) for r in TABLE_ROWS["公开03表"]]
    assert [row for row in seed if row not in ours] == []
    assert ["", "合计", "10,394.91", "1,207.46", "9,187.45", "", "", ""] in ours


def test_table_08_is_empty_with_its_note(report_doc, our_tables):
    rows = our_tables["公开08表"]
    assert all(not any(c.strip() for c in r[2:]) or r[0] in ("功能分类科目编码", "栏次") for r in rows[3:])
    texts = [p.text for p in report_doc.paragraphs]
    assert "说明：我部门没有使用国有资本经营预算安排的支出，故本表无数据。" in texts


def test_table_09_row(our_tables):
    assert our_tables["公开09表"][-1] == ["2.60", "0.00", "2.10", "0.00", "2.10", "0.50",
                                       "2.24", "0.00", "2.10", "0.00", "2.10", "0.14"]


def test_table_06_footer(our_tables):
    footer = our_tables["公开06表"][-1]
    assert footer[0] == "人员经费合计" and footer[2] == "1,134.23"
    assert footer[3] == "公用经费合计" and footer[8] == "73.24"


def test_blank_cells_stay_blank(our_tables):
    """01表 line 三 (国有资本经营) is blank in the seed: blank, not 0.00."""
    row = next(r for r in our_tables["公开01表"] if r[0] == "三、国有资本经营预算财政拨款收入")
    assert row[2] == ""
    assert row[5] == ""  # 三、国防支出
