"""Native, editable Word pie charts (chart part + embedded workbook) placed by docxtpl at {{ charts.x }}."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {"c": C_NS, "a": A_NS}
NUMBER_FORMAT = '0.00"%"'
EMU_PER_MM = 36000
#: Office palette, darker first; slices are outlined in white so neighbours stay distinct in print.
PALETTE = ("4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "264478", "9E480E", "636363", "997300")
CHARTS = {"income": ("收入决算结构", "income", "parts"), "expense": ("支出决算结构", "expense", "parts"),
          "general": ("财政拨款支出决算结构", "general", "classes")}


def chart_points(parts: list[Any]) -> list[tuple[str, Decimal]]:
    """Return (label, share in percent) for every part that has a positive share: the narrative's own figures."""
    return [(p.name, p.share) for p in parts if p.share is not None and p.share > 0]


def build_charts(fig: dict[str, Any]) -> dict[str, PieChart]:
    """Return the three structure charts (图1 收入, 图2 支出, 图3 财政拨款支出); render binds them to the template.

    A chart whose figures the profile does not compute is empty (falsy), so the template drops it.
    """
    return {key: PieChart(title, chart_points(fig[section][field]) if field in fig.get(section, {}) else [])
            for key, (title, section, field) in CHARTS.items()}


def bind_charts(charts: dict[str, PieChart], tpl: Any) -> None:
    """Let the charts add their parts to tpl's package when docxtpl prints them."""
    for chart in charts.values():
        chart.tpl = tpl


class PieChart:
    """A pie chart of shares; falsy without data, so `{%p if charts.x %}` drops it and its caption."""

    def __init__(self, title: str, points: list[tuple[str, Decimal]],
                 width_mm: float = 150, height_mm: float = 80) -> None:
        self.tpl: Any = None
        self.title, self.points = title, points
        self.size = (int(width_mm * EMU_PER_MM), int(height_mm * EMU_PER_MM))

    def __bool__(self) -> bool:
        return bool(self.points)

    def __html__(self) -> str:
        return self._insert()

    __str__ = __html__

    def _insert(self) -> str:
        """Add the chart and workbook parts to the part being rendered; return the run XML of the drawing."""
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.part import Part

        part = self.tpl.current_rendering_part
        package = part.package
        data = _chart_data(self.title, self.points)
        xlsx = Part(package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
                    CT.SML_SHEET, data.xlsx_blob, package)
        chart = Part(package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART, b"", package)
        chart._blob = chart_xml(data, self.points, chart.relate_to(xlsx, RT.PACKAGE))
        r_id = part.relate_to(chart, RT.CHART)
        number = int(str(chart.partname).rsplit("chart", 1)[1].split(".")[0])
        return _inline_run(r_id, self.size, 5000 + number, self.title)


def _chart_data(title: str, points: list[tuple[str, Decimal]]):
    from pptx.chart.data import CategoryChartData

    data = CategoryChartData(number_format=NUMBER_FORMAT)
    data.categories = [label for label, _ in points]
    data.add_series(title, [float(share) for _, share in points])
    return data


def chart_xml(data: Any, points: list[tuple[str, Decimal]], xlsx_rid: str) -> bytes:
    """Return the c:chartSpace of a pie with percentage labels, a legend, zh-CN text and the embedded data."""
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE

    space = etree.fromstring(ChartXmlWriter(XL_CHART_TYPE.PIE, data).xml.encode("utf-8"))
    for tag, value in (("roundedCorners", "0"), ("lang", "zh-CN")):
        space.insert(0, _c(tag, value))
    chart = space.find("c:chart", NS)
    chart.find("c:autoTitleDeleted", NS).set("val", "1")
    ser = chart.find(".//c:ser", NS)
    cat = ser.find("c:cat", NS)
    for i in range(len(points)):
        cat.addprevious(_data_point(i, outline=len(points) > 1))
    cat.addprevious(_labels())
    ser.getparent().append(_c("firstSliceAng", "0"))
    legend = etree.SubElement(chart, f"{{{C_NS}}}legend")
    legend.extend([_c("legendPos", "r"), _c("overlay", "0")])
    chart.find("c:plotArea", NS).addnext(legend)
    legend.addnext(_c("plotVisOnly", "1"))
    text = space.find("c:txPr", NS)
    text.addprevious(_no_border())
    text.getparent().replace(text, _text_properties(1050))
    external = etree.SubElement(space, f"{{{C_NS}}}externalData")
    external.set(f"{{{R_NS}}}id", xlsx_rid)
    external.append(_c("autoUpdate", "0"))
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def _c(tag: str, value: str | None = None):
    element = etree.Element(f"{{{C_NS}}}{tag}", nsmap={"c": C_NS})
    if value is not None:
        element.set("val", value)
    return element


def _fragment(xml: str):
    return etree.fromstring(f'<c:x xmlns:c="{C_NS}" xmlns:a="{A_NS}">{xml}</c:x>')[0]


def _data_point(index: int, outline: bool):
    """A slice in the palette colour, outlined in white (a lone full circle gets no seam line)."""
    color = PALETTE[index % len(PALETTE)]
    line = '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>' if outline else "<a:noFill/>"
    return _fragment(
        f'<c:dPt><c:idx val="{index}"/><c:bubble3D val="0"/><c:spPr><a:solidFill><a:srgbClr val="{color}"/>'
        f'</a:solidFill><a:ln w="12700">{line}</a:ln></c:spPr></c:dPt>')


def _labels():
    """Data labels: the share as printed in the narrative (52.76%), outside the slice with leader lines."""
    labels = _fragment(
        f'<c:dLbls><c:numFmt formatCode="{escape(NUMBER_FORMAT, {chr(34): "&quot;"})}" sourceLinked="0"/>'
        '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr><c:dLblPos val="bestFit"/>'
        '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
        '<c:showPercent val="0"/><c:showBubbleSize val="0"/><c:showLeaderLines val="1"/></c:dLbls>')
    labels.find("c:spPr", NS).addnext(_text_properties(1000))
    return labels


def _no_border():
    return _fragment('<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>')


def _text_properties(size: int):
    """c:txPr naming an East Asian font, so labels never fall back to a Japanese or Latin face."""
    return _fragment(
        f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}" b="0">'
        '<a:solidFill><a:srgbClr val="000000"/></a:solidFill><a:latin typeface="Times New Roman"/>'
        '<a:ea typeface="宋体"/><a:cs typeface="Times New Roman"/></a:defRPr></a:pPr>'
        '<a:endParaRPr lang="zh-CN"/></a:p></c:txPr>')


def _inline_run(r_id: str, size: tuple[int, int], shape_id: int, title: str) -> str:
    """Return the run XML (closing and reopening the template's run) holding the inline chart drawing."""
    cx, cy = size
    return (
        '</w:t></w:r><w:r><w:drawing>'
        f'<wp:inline xmlns:wp="{WP_NS}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="图表 {shape_id}" descr="{escape(title)}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{C_NS}">'
        f'<c:chart xmlns:c="{C_NS}" xmlns:r="{R_NS}" r:id="{r_id}"/></a:graphicData></a:graphic>'
        '</wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve">'
    )
