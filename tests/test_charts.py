"""The three structure charts carry exactly the shares the narrative prints, as native editable Word charts."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from lxml import etree
from openpyxl import load_workbook

from genreport.api import check_workbook, generate_report
from genreport.figures import compute_figures
from genreport.render.charts import C_NS, build_charts, chart_points
from genreport.comparisons import Part

NS = {"c": C_NS, "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
CAPTIONS = {"income": "图1：收入决算结构图", "expense": "图2：支出决算结构图", "general": "图3：财政拨款支出决算结构图"}
SOURCES = {"income": ("income", "parts"), "expense": ("expense", "parts"), "general": ("general", "classes")}


@pytest.fixture(scope="module")
def figures(sample_path):
    workbook, _ = check_workbook(sample_path)
    return compute_figures(workbook)


@pytest.fixture(scope="module")
def rendered(sample_path, tmp_path_factory):
    result = generate_report(sample_path, tmp_path_factory.mktemp("charts"))
    assert result.output is not None
    return result.output


def _narrative_points(figures, key):
    section, field = SOURCES[key]
    return [(p.name, p.share) for p in figures[section][field]]


def test_sample_chart_data_equals_the_narrative_figures(figures):
    charts = build_charts(figures)
    for key in CAPTIONS:
        assert charts[key].points == _narrative_points(figures, key)
    assert charts["income"].points == [("财政拨款收入", Decimal("100.00"))]
    assert charts["expense"].points == [("基本支出", Decimal("11.62")), ("项目支出", Decimal("88.38"))]
    assert [s for _, s in charts["general"].points] == [Decimal(v) for v in ("24.81", "71.38", "2.40", "1.36", "0.05")]


def _chart_parts(docx_path):
    """Return chart XML trees in document order (by the r:id each drawing names)."""
    with zipfile.ZipFile(docx_path) as package:
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        body = package.read("word/document.xml").decode("utf-8")
        ids = re.findall(r'<c:chart [^>]*r:id="([^"]+)"', body)
        charts = [etree.fromstring(package.read("word/" + targets[i])) for i in ids]
        embedded = [n for n in package.namelist() if n.startswith("word/embeddings/") and n.endswith(".xlsx")]
        books = [load_workbook(BytesIO(package.read(n))) for n in embedded]
    return charts, books


def test_rendered_charts_print_the_narrative_shares(rendered, figures):
    charts, books = _chart_parts(rendered)
    assert len(charts) == 3 and len(books) == 3
    for key, chart in zip(CAPTIONS, charts):
        labels = [v.text for v in chart.iterfind(".//c:cat//c:pt/c:v", NS)]
        values = [Decimal(v.text) for v in chart.iterfind(".//c:val//c:pt/c:v", NS)]
        assert list(zip(labels, values)) == _narrative_points(figures, key)
        assert chart.find(".//c:dLbls/c:numFmt", NS).get("formatCode") == '0.00"%"'
        assert {e.get("typeface") for e in chart.iterfind(".//a:ea", NS)} == {"宋体"}
        assert chart.find("c:externalData", NS) is not None


def test_each_chart_is_followed_by_its_caption_after_the_sentence_with_the_same_shares(rendered, figures):
    paragraphs = Document(str(rendered)).paragraphs
    drawings = [i for i, p in enumerate(paragraphs) if p._p.xpath(".//c:chart")]
    assert len(drawings) == 3
    for key, index in zip(CAPTIONS, drawings):
        assert paragraphs[index + 1].text == CAPTIONS[key]
        sentence = paragraphs[index - 1].text
        for name, share in _narrative_points(figures, key):
            assert f"{name}" in sentence and f"{share}%" in sentence


def test_chart_points_drop_empty_and_zero_parts():
    parts = [Part("财政拨款收入", Decimal("5.00"), Decimal("100.00")), Part("事业收入", Decimal("0"), Decimal("0.00")),
             Part("其他收入", Decimal("0"), None)]
    assert chart_points(parts) == [("财政拨款收入", Decimal("100.00"))]
    assert not build_charts({"income": {"parts": []}, "expense": {"parts": []}, "general": {"classes": []}})["income"]


@pytest.mark.parametrize("label", ["=1+2", "=HYPERLINK(\"http://evil.example\",\"x\")", "http://evil.example/a",
                                   "+SUM(A1)", "@cmd", "-1"])
def test_chart_workbook_keeps_user_text_as_text(tmp_path, label):
    """A 科目名称 that looks like a formula or a link stays that text in the chart's embedded workbook."""
    from genreport.render.charts import PieChart

    _render_chart(tmp_path, PieChart("结构", [(label, Decimal("60.00")), ("其他", Decimal("40.00"))]))
    charts, books = _chart_parts(tmp_path / "out.docx")
    sheet = books[0].active
    cell = sheet["A2"]
    assert (cell.value, cell.data_type, cell.hyperlink) == (label, "s", None)
    assert not sheet._hyperlinks and [c.value for c in sheet["B"]] == ["结构", 60, 40]
    assert [v.text for v in charts[0].iterfind(".//c:cat//c:pt/c:v", NS)] == [label, "其他"]


def _render_chart(folder, chart, placeholders=1):
    """Render a template of placeholders paragraphs {{ chart }} into folder/out.docx; return the template."""
    from docxtpl import DocxTemplate

    from genreport.render.charts import bind_charts

    blank = Document()
    for _ in range(placeholders):
        blank.add_paragraph("{{ chart }}")
    blank.save(str(folder / "t.docx"))
    tpl = DocxTemplate(str(folder / "t.docx"))
    bind_charts({"chart": chart}, tpl)
    tpl.render({"chart": chart}, autoescape=True)
    tpl.save(str(folder / "out.docx"))
    return tpl


def test_a_chart_printed_twice_adds_its_parts_once(tmp_path):
    """Printing a chart again (a second placeholder, str() in a macro) gives the same drawing and adds no part."""
    from genreport.render.charts import PieChart

    chart = PieChart("结构", [("甲", Decimal("60.00")), ("乙", Decimal("40.00"))])
    tpl = _render_chart(tmp_path, chart, placeholders=2)
    drawing = str(chart)
    assert chart.get_or_add_drawing(tpl.docx.part) == drawing and drawing.count("<c:chart ") == 1
    tpl.save(str(tmp_path / "out.docx"))
    with zipfile.ZipFile(tmp_path / "out.docx") as package:
        names = package.namelist()
        body = package.read("word/document.xml").decode("utf-8")
    assert [n for n in names if n.startswith(("word/charts/chart", "word/embeddings/"))] == [
        "word/charts/chart1.xml", "word/embeddings/Microsoft_Excel_Worksheet1.xlsx"]
    assert len(re.findall(r'<c:chart [^>]*r:id="rId\d+"', body)) == 2
