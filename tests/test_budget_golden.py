"""Golden test of the 部门预算 profile: the report generated from samples/putuo-2025-budget carries every figure
and every table row of the seed publication (上海市普陀区财政局 2025 区级部门预算).

The seed's figures are kept here as data (copied from the publication), so the test runs without ../shared;
test_budget_seed.py compares against the seed text itself when it is there. Tables are in 元 as printed,
the narrative in 万元. Where the seed is wrong, SEED_SLIPS names its figure, the correct one and why.
"""

from __future__ import annotations

import re

import pytest
from budget_support import BUDGET_SAMPLE
from docx import Document

from genreport.api import generate_report

#: seed figure (万元) → (what genreport prints, why). The seed's figure must not appear in the narrative.
SEED_SLIPS = {
    "887.36": ("87.36", "item 7 职业年金缴费支出: a typo, the tables give 873,617.00 元 = 87.3617 万元"),
    "87.70": ("87.71", "item 5 行政单位离退休: truncated, 877,080.00 元 = 87.708 万元 rounds half-up to 87.71"),
    "78.21": ("78.22", "item 9 行政单位医疗: truncated, 782,164.00 元 = 78.2164 万元 rounds half-up to 78.22"),
    "204.91": ("204.92", "item 10 住房公积金: truncated, 2,049,197.00 元 = 204.9197 万元 rounds half-up to 204.92"),
    "268.77": ("268.78", "item 11 购房补贴: truncated, 2,687,760.00 元 = 268.776 万元 rounds half-up to 268.78"),
}

#: The seed's narrative sentences (万元) as genreport prints them; slips already corrected (see SEED_SLIPS), and the
#: subject as the workbook says (预算类型 部门: 本部门, where the seed printed 本单位) and amounts in the Shanghai way the
#: profile's conventions state (3121.42万元 and 0.00万元, where this seed printed 3,121.42万元 and 0万元; issue 23).
NARRATIVE = [
    "2025年，上海市普陀区财政局收入预算3121.42万元，其中：财政拨款收入3121.42万元，比2024年预算增加107.62万元；"
    "事业收入0.00万元；事业单位经营收入0.00万元；其他收入0.00万元。",
    "支出预算3121.42万元，其中：财政拨款支出预算3121.42万元，比2024年预算增加107.62万元。财政拨款支出预算中，"
    "一般公共预算拨款支出预算3121.42万元，比2024年预算增加107.62万元；政府性基金拨款支出预算0.00万元，与2024年预算持平；"
    "国有资本经营预算拨款支出预算0.00万元，与2024年预算持平。",
    "财政拨款收入支出增加的主要原因是人员经费增加、信息化系统日常维护费和中介机构服务费增加项目经费支出。",
    "财政拨款支出主要内容如下：",
    "2025年“三公”经费预算数为0.95万元，与2024年预算持平。其中：",
    "（一）因公出国（境）费0.00万元，与2024年预算持平，此项经费由区统筹安排。",
    "（三）公务接待费0.95万元，与2024年预算持平，主要原因是业务需要或跨部门协作交流等进行公务接待。",
    "2025年上海市普陀区财政局财政拨款的机关运行经费预算为229.43万元。",
    "2025年度本部门政府采购预算117.00万元，其中：政府采购货物预算17.00万元、政府采购工程预算0.00万元、政府采购服务预算100.00万元。",
    "2025年度，本部门编报绩效目标的项目共4个，涉及项目预算资金598.46万元。其中：中介机构服务费418.80万元，"
    "财政业务费10.00万元，信息化系统日常维护费166.66万元，援滇干部工作经费3.00万元。",
    "截至2024年8月31日，财政局共有车辆0辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、机要通信用车0辆、应急保障用车0辆、"
    "执法执勤用车0辆、特种专业技术用车0辆、离退休干部用车0辆、其他用车0辆；单价100万（含）以上设备（不含车辆）0台（套）。",
    "2025年部门预算安排购置车辆0辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、机要通信用车0辆、应急保障用车0辆、"
    "执法执勤用车0辆、特种专业技术用车0辆、离退休干部用车0辆、其他用车0辆；部门预算安排购置单价100万元（含）以上设备（不含车辆）0台（套）。",
    "信息化系统日常维护费166.66万元，中介机构服务费418.80万元，财政业务费10.00万元。",
    "上海市普陀区财政局部门预算包括财政局本部以及下属0家预算单位的综合收支计划。",
    "本部门中，行政单位1家，事业单位0家，具体包括：",
    "1.财政局本部",
    "2025年1月1日至2025年12月31日",
]

#: The 财政拨款支出 item list: (类, 款, 项, 万元, 主要用于) — eleven items, each once (the seed repeats 7–11).
ITEMS = [
    ("一般公共服务支出", "财政事务", "行政运行", "1623.18", "局本级及所属单位人员经费及公用经费等的基本支出"),
    ("一般公共服务支出", "财政事务", "一般行政管理事务", "10.00", "财政业务指导与宣传"),
    ("一般公共服务支出", "财政事务", "信息化建设", "166.66", "信息系统软硬件设备运维、资产管理信息系统维护、政府采购信息平台等运维支出"),
    ("一般公共服务支出", "财政事务", "财政委托业务支出", "418.80", "委托中介机构开展各类审计及其他会计活动支出"),
    ("社会保障和就业支出", "行政事业单位养老支出", "行政单位离退休", "87.71", "局本部人员的退休经费支出"),
    ("社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "174.83", "缴纳基本养老保险支出"),
    ("社会保障和就业支出", "行政事业单位养老支出", "机关事业单位职业年金缴费支出", "87.36", "缴纳职业年金支出"),
    ("社会保障和就业支出", "行政事业单位养老支出", "其他行政事业单位养老支出", "0.96", "缴纳养老支出"),
    ("卫生健康支出", "行政事业单位医疗", "行政单位医疗", "78.22", "局本级和所属单位在职人员基本医疗保险费"),
    ("住房保障支出", "住房改革支出", "住房公积金", "204.92", "缴纳在职人员住房公积金"),
    ("住房保障支出", "住房改革支出", "购房补贴", "268.78", "购房补贴支出"),
]

#: Every table row of the seed as printed (元; the “三公” table in 万元). Coded rows: 类 款 项 codes, name, amounts.
#: Two-sided tables: each side's label and amounts (the seed numbers the expense classes 一、…四、; the workbook
#: keeps a fixed line per class, unnumbered, so the numbering is left out here).
FUNCTION_ROWS = """
201 一般公共服务支出 22,186,440.80
201 06 财政事务 22,186,440.80
201 06 01 行政运行 16,231,840.80
201 06 02 一般行政管理事务 100,000.00
201 06 07 信息化建设 1,666,600.00
201 06 08 财政委托业务支出 4,188,000.00
208 社会保障和就业支出 3,508,644.00
208 05 行政事业单位养老支出 3,508,644.00
208 05 01 行政单位离退休 877,080.00
208 05 05 机关事业单位基本养老保险缴费支出 1,748,327.00
208 05 06 机关事业单位职业年金缴费支出 873,617.00
208 05 99 其他行政事业单位养老支出 9,620.00
210 卫生健康支出 782,164.00
210 11 行政事业单位医疗 782,164.00
210 11 01 行政单位医疗 782,164.00
221 住房保障支出 4,736,957.00
221 02 住房改革支出 4,736,957.00
221 02 01 住房公积金 2,049,197.00
221 02 03 购房补贴 2,687,760.00
合计 31,214,205.80
"""
EXPENSE_ROWS = """
201 一般公共服务支出 22,186,440.80 16,093,326.00 6,093,114.80
201 06 财政事务 22,186,440.80 16,093,326.00 6,093,114.80
201 06 01 行政运行 16,231,840.80 16,093,326.00 138,514.80
201 06 02 一般行政管理事务 100,000.00 100,000.00
201 06 07 信息化建设 1,666,600.00 1,666,600.00
201 06 08 财政委托业务支出 4,188,000.00 4,188,000.00
208 社会保障和就业支出 3,508,644.00 3,508,644.00
208 05 行政事业单位养老支出 3,508,644.00 3,508,644.00
208 05 01 行政单位离退休 877,080.00 877,080.00
208 05 05 机关事业单位基本养老保险缴费支出 1,748,327.00 1,748,327.00
208 05 06 机关事业单位职业年金缴费支出 873,617.00 873,617.00
208 05 99 其他行政事业单位养老支出 9,620.00 9,620.00
210 卫生健康支出 782,164.00 782,164.00
210 11 行政事业单位医疗 782,164.00 782,164.00
210 11 01 行政单位医疗 782,164.00 782,164.00
221 住房保障支出 4,736,957.00 4,736,957.00
221 02 住房改革支出 4,736,957.00 4,736,957.00
221 02 01 住房公积金 2,049,197.00 2,049,197.00
221 02 03 购房补贴 2,687,760.00 2,687,760.00
合计 31,214,205.80 25,121,091.00 6,093,114.80
"""
ECONOMIC_ROWS = """
301 工资福利支出 22,109,516.00 22,109,516.00 0.00
301 01 基本工资 2,642,448.00 2,642,448.00 0.00
301 02 津贴补贴 13,012,070.00 13,012,070.00 0.00
301 08 机关事业单位基本养老保险缴费 1,748,327.00 1,748,327.00 0.00
301 09 职业年金缴费 873,617.00 873,617.00 0.00
301 10 职工基本医疗保险缴费 782,164.00 782,164.00 0.00
301 12 其他社会保障缴费 28,428.00 28,428.00 0.00
301 13 住房公积金 2,049,197.00 2,049,197.00 0.00
301 99 其他工资福利支出 973,265.00 973,265.00 0.00
302 商品和服务支出 2,204,335.00 0.00 2,204,335.00
302 01 办公费 170,000.00 0.00 170,000.00
302 02 印刷费 120,000.00 0.00 120,000.00
302 04 手续费 1,000.00 0.00 1,000.00
302 07 邮电费 50,000.00 0.00 50,000.00
302 11 差旅费 20,000.00 0.00 20,000.00
302 13 维修（护）费 50,000.00 0.00 50,000.00
302 15 会议费 10,000.00 0.00 10,000.00
302 16 培训费 30,000.00 0.00 30,000.00
302 17 公务接待费 9,500.00 0.00 9,500.00
302 26 劳务费 30,000.00 0.00 30,000.00
302 27 委托业务费 100,000.00 0.00 100,000.00
302 28 工会经费 258,915.00 0.00 258,915.00
302 29 福利费 436,320.00 0.00 436,320.00
302 39 其他交通费用 506,480.00 0.00 506,480.00
302 99 其他商品和服务支出 412,120.00 0.00 412,120.00
303 对个人和家庭的补助 717,240.00 717,240.00 0.00
303 02 退休费 717,240.00 717,240.00 0.00
310 资本性支出 90,000.00 0.00 90,000.00
310 02 办公设备购置 90,000.00 0.00 90,000.00
合计 25,121,091.00 22,826,756.00 2,294,335.00
"""
TABLE_ROWS = {
    "部门财务收支预算总表": """
一、财政拨款收入 31,214,205.80
1. 一般公共预算资金 31,214,205.80
2. 政府性基金
3. 国有资本经营预算
二、事业收入
三、事业单位经营收入
四、其他收入
收入总计 31,214,205.80
一般公共服务支出 22,186,440.80
社会保障和就业支出 3,508,644.00
卫生健康支出 782,164.00
住房保障支出 4,736,957.00
支出总计 31,214,205.80
""",
    "部门收入预算总表": "\n".join(f"{r} {r.split()[-1]}" for r in FUNCTION_ROWS.strip().splitlines()),
    "部门支出预算总表": EXPENSE_ROWS,
    "部门财政拨款收支预算总表": """
一、一般公共预算资金 31,214,205.80
二、政府性基金
三、国有资本经营预算
收入总计 31,214,205.80
一般公共服务支出 22,186,440.80 22,186,440.80
社会保障和就业支出 3,508,644.00 3,508,644.00
卫生健康支出 782,164.00 782,164.00
住房保障支出 4,736,957.00 4,736,957.00
支出总计 31,214,205.80 31,214,205.80
""",
    "部门一般公共预算支出功能分类预算表": EXPENSE_ROWS,
    "部门政府性基金预算支出功能分类预算表": "",
    "部门国有资本经营预算支出功能分类预算表": "",
    "部门一般公共预算基本支出部门预算经济分类预算表": ECONOMIC_ROWS,
    "部门“三公”经费和机关运行经费预算表": "0.95 0.95 229.43",
}
#: The notes under the two empty tables: each names its own fund (the seed gives the 国资 table the 基金 note).
EMPTY_NOTES = {
    "部门政府性基金预算支出功能分类预算表": "注：本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。",
    "部门国有资本经营预算支出功能分类预算表": "注：本部门2025年无国有资本经营预算财政拨款安排的预算，故本表为空表。",
}
AMOUNT = re.compile(r"^\d[\d,]*\.\d\d$")


@pytest.fixture(scope="module")
def budget_doc(tmp_path_factory):
    result = generate_report(BUDGET_SAMPLE, tmp_path_factory.mktemp("budget"))
    assert result.output is not None, result.report.to_text()
    assert result.report.errors == [] and result.report.warnings == []
    return Document(str(result.output))


@pytest.fixture(scope="module")
def paragraphs(budget_doc) -> list[str]:
    return [p.text for p in budget_doc.paragraphs]


@pytest.fixture(scope="module")
def tables(budget_doc, paragraphs) -> dict[str, list[list[str]]]:
    """Return table title → its rows' cell texts (each table follows the paragraph with its title)."""
    found = {}
    body = budget_doc.element.body
    titled = {p._p: p.text for p in budget_doc.paragraphs if p.style.name == "表名"}
    current = None
    for node in body.iterchildren():
        if node in titled:
            current = titled[node]
        elif node.tag.endswith("}tbl") and current:
            table = next(t for t in budget_doc.tables if t._tbl is node)
            found[current] = [[c.text for c in row.cells] for row in table.rows]
            current = None
    return found


@pytest.mark.parametrize("sentence", NARRATIVE)
def test_every_narrative_sentence_is_printed(sentence, paragraphs):
    assert sentence in paragraphs


def test_item_list_comes_from_the_tables_once_each_with_rounded_figures(paragraphs):
    start = paragraphs.index("财政拨款支出主要内容如下：") + 1
    expected = [f"{n}.“{lei}（类）{kuan}（款）{xiang}（项）”{amount}万元，主要用于{use}。"
                for n, (lei, kuan, xiang, amount, use) in enumerate(ITEMS, start=1)]
    assert paragraphs[start:start + len(ITEMS)] == expected
    assert not re.match(r"^\d+\.“", paragraphs[start + len(ITEMS)])  # no repeated 7–11


@pytest.mark.parametrize("slip", sorted(SEED_SLIPS))
def test_seed_slips_are_corrected(slip, paragraphs):
    corrected, why = SEED_SLIPS[slip]
    text = "\n".join(paragraphs)
    assert f"{corrected}万元" in text, why
    assert not re.search(rf"(?<![\d,.]){re.escape(slip)}万元", text), why


def test_the_car_sentence(paragraphs):
    assert ("（二）公务用车购置及运行费0.00万元，其中：公务用车购置费0.00万元，与2024年预算持平，主要原因是本部门无公务用车；"
            "公务用车运行费0.00万元，与2024年预算持平，主要原因是本部门无公务用车。") in paragraphs


@pytest.mark.parametrize("title", list(TABLE_ROWS))
def test_every_table_row_of_the_seed_is_printed(title, tables):
    heading = f"2025年{title}"
    assert heading in tables, list(tables)
    printed = [[c for c in row if c.strip()] for row in tables[heading]]
    if not TABLE_ROWS[title]:  # an empty table: its two header rows only (the seed adds a blank 合计 row)
        assert len(printed) == 2
    for line in TABLE_ROWS[title].strip().splitlines():
        wanted = _cells(line)
        assert any(_contains(row, wanted) for row in printed), f"{heading}: {line}"


@pytest.mark.parametrize("title", list(EMPTY_NOTES))
def test_empty_tables_carry_their_own_note(title, paragraphs):
    assert EMPTY_NOTES[title] in paragraphs


def test_tables_are_in_yuan_and_the_sangong_table_in_wan(paragraphs):
    captions = [p for p in paragraphs if p.startswith("编制部门：上海市普陀区财政局")]
    assert len(captions) == 9
    assert sum(p.endswith("单位：元") for p in captions) == 8 and captions[-1].endswith("单位：万元")


def _cells(line: str) -> list[str]:
    """Return the printed cells of a seed row: the 7-digit code from 类 款 项 parts, the name, the amounts."""
    words = line.split()
    codes = []
    while words and re.fullmatch(r"\d{2,3}", words[0]) and not AMOUNT.match(words[0]):
        codes.append(words.pop(0))
    if words and re.fullmatch(r"\d\.", words[0]):
        words[:2] = [" ".join(words[:2])]
    return (["".join(codes)] if codes else []) + words


def _contains(row: list[str], wanted: list[str]) -> bool:
    """Return True when the wanted cells appear in row in this order (blank cells of the row skipped)."""
    position = 0
    for cell in row:
        if position < len(wanted) and cell.strip() == wanted[position]:
            position += 1
    return position == len(wanted)
