"""Profiles as data: a synthetic 上海区级 department generates in the Shanghai layout and wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from genreport.api import check_workbook, generate_report, init_workbook
from genreport.profile import list_profiles, load_profile
from shanghai_support import shanghai_data, shanghai_workbook

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shanghai_doc(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shanghai")
    source = shanghai_workbook(folder / "shanghai.xlsx")
    result = generate_report(source, folder)
    assert result.output is not None, result.report.to_text()
    assert result.report.errors == []
    return Document(str(result.output))


@pytest.fixture(scope="module")
def text(shanghai_doc) -> str:
    return "\n".join(p.text for p in shanghai_doc.paragraphs)


def _styled(doc, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == style]


def test_profiles_are_listed_with_the_default_first():
    assert [p.id for p in list_profiles()][:2] == ["central", "shanghai-district"]


def test_workbook_records_its_profile(tmp_path):
    target = init_workbook(tmp_path / "sh.xlsx", profile="shanghai-district")
    workbook, report = check_workbook(target)
    assert report.profile == "shanghai-district"
    assert "决算单位构成" in workbook.spec.sheet_names


def test_tables_in_shanghai_order_with_shanghai_titles(shanghai_doc):
    assert _styled(shanghai_doc, "表名") == [
        "一、收入支出决算总表", "二、收入决算表", "三、支出决算表", "四、财政拨款收入支出决算总表",
        "五、一般公共预算财政拨款支出决算表", "六、一般公共预算财政拨款基本支出决算表",
        "七、财政拨款“三公”经费支出决算表", "八、政府性基金预算财政拨款收入支出决算表",
        "九、国有资本经营预算财政拨款收入支出决算表"]


def test_section_headings_one_to_eleven_and_no_attachment(shanghai_doc):
    numbered = [t for t in _styled(shanghai_doc, "Heading 2") if re.match(r"^[一二三四五六七八九十]+、", t)]
    sections = numbered[numbered.index("一、收入支出决算总体情况说明"):]
    assert sections == [
        "一、收入支出决算总体情况说明", "二、收入决算情况说明", "三、支出决算情况说明",
        "四、财政拨款收入支出决算总体情况说明", "五、一般公共预算财政拨款支出决算情况说明",
        "六、一般公共预算财政拨款基本支出决算情况说明", "七、财政拨款“三公”经费支出决算情况说明",
        "八、政府性基金预算财政拨款收入支出决算情况说明", "九、国有资本经营预算财政拨款收入支出决算情况说明",
        "十、预算绩效管理情况", "十一、其他重要事项的情况说明"]
    parts = [t.replace("\n", " ") for t in _styled(shanghai_doc, "Heading 1")]  # a long heading breaks after 第N部分
    assert parts == ["第一部分 上海市示例区示例局概况", "第二部分 上海市示例区示例局2024年度部门决算表",
                     "第三部分 上海市示例区示例局2024年度部门决算情况说明", "第四部分 名词解释"]


def test_shanghai_sentence_patterns_and_figures(text):
    expected = [
        "上海市示例区示例局2024年度收入支出总计750.00万元。与2023年度相比，收入支出总计增加50.00万元，增长7.14%。"
        "主要原因：人员经费和项目支出增加。",
        "本年收入合计750.00万元，其中：财政拨款收入750.00万元，占100.00%。",
        "本年支出合计750.00万元，其中：基本支出630.00万元，占84.00%；项目支出120.00万元，占16.00%。",
        "占本年支出合计的100.00%。",
        "主要用于以下方面：一般公共服务支出（类）620.00万元，占82.67%",
        "1、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。主要用于：保障机关正常运转。"
        "年初预算为480.00万元，支出决算为500.00万元。决算数大于预算数的主要原因：新增人员。",
        "年初预算为150.00万元，支出决算为120.00万元。决算数小于预算数的主要原因：项目按进度支付，部分结余。",
        "年初预算为60.00万元，支出决算为60.00万元。决算数与预算数持平。",
        "一般公共预算财政拨款支出年初预算为758.00万元，支出决算为750.00万元，完成年初预算的98.94%。",
        "“三公”经费财政拨款支出年初预算为35.00万元，支出决算为26.00万元，完成预算的74.29%",
        "因公出国（境）费决算为8.00万元，完成预算的80.00%",
        "2024年度“三公”经费支出决算数小于预算数的主要原因：厉行节约，压减一般性支出。",
        "2024年度“三公”经费财政拨款支出决算数比2023年度减少4.00万元，下降13.33%，其中：因公出国（境）费支出决算减少2.00万元，下降20.00%",
        "因公出国（境）费支出决算8.00万元，占30.77%",
        "全年安排因公出国（境）团组2个、累计6人次。",
        "公务用车保有量为4辆",
        "公务接待7批次、45人次，其中：接待外宾1批次、5人次。",
        "上海市示例区示例局2024年度无政府性基金预算财政拨款收入和支出。",
        "上海市示例区示例局2024年度无国有资本经营预算财政拨款收入和支出。",
        "机关运行经费支出180.00万元，比2023年度增加10.00万元，增长5.88%。主要原因是办公设备更新。",
        "政府采购金额（以合同签订为准）为200.00万元，其中：货物采购金额50.00万元、工程采购金额0.00万元、服务采购金额150.00万元。",
        "截至2024年12月31日，上海市示例区示例局共有车辆4辆，其中：部级领导干部用车0辆",
        "平均得分92.5分（其中，绩效评级为“优”的项目2个；",
    ]
    missing = [sentence for sentence in expected if sentence not in text]
    assert missing == []


def test_empty_fund_tables_keep_their_grid_and_note(text):
    assert "说明：上海市示例区示例局本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。" in text
    assert "说明：上海市示例区示例局本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。" in text


def test_units_table_and_shanghai_glossary(shanghai_doc, text):
    units = next(t for t in shanghai_doc.tables if t.rows[0].cells[1].text == "单位名称")
    assert [r.cells[1].text for r in units.rows[1:]] == ["上海市示例区示例局（本级）", "上海市示例区示例事务中心"]
    glossary = [p for p in text.splitlines() if re.match(r"^[一二三四五六七八九十]+、.+?：", p)]
    assert len(glossary) == 11 and glossary[-1].startswith("十一、机关运行经费：")


def test_unit_document_says_unit(tmp_path):
    data = shanghai_data()
    data["forms"]["profile"]["kind"] = "单位"
    source = shanghai_workbook(tmp_path / "unit.xlsx", data)
    doc = Document(str(generate_report(source, tmp_path).output))
    parts = _styled(doc, "Heading 1")
    assert parts[0] == "第一部分 上海市示例区示例局概况" and "第三部分 上海市示例区示例局2024年度单位决算情况说明" in parts
    assert "二、单位决算单位构成" in _styled(doc, "Heading 2")


def test_shanghai_template_is_clean():
    from genreport.api import lint_template

    assert lint_template(load_profile("shanghai-district").template_path) == []


def test_no_python_names_a_region():
    """Profiles are data: no module of the package names a region, a city or a sample department."""
    pattern = re.compile(r"shanghai|上海|henan|河南|新乡|xinxiang", re.I)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "cli" / "genreport").rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_shanghai_grades_projects_on_its_own_scale(tmp_path):
    from genreport.api import check_workbook
    from genreport.figures import compute_figures

    data = shanghai_data()
    data["lists"]["projects"][0]["score"] = "65.00"
    source = shanghai_workbook(tmp_path / "graded.xlsx", data)
    workbook, _ = check_workbook(source)
    performance = compute_figures(workbook, load_profile("shanghai-district"))["performance"]
    assert performance["projects"][0]["grade"] == "合格"
    assert list(performance["grades"]) == ["优", "良", "合格", "不合格"]
    assert compute_figures(workbook)["performance"]["projects"][0]["grade"] == "中"  # the default scale
