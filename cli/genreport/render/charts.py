"""Native, editable Word pie charts (chart part + embedded workbook) placed by docxtpl at {{ charts.x }}."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from .chartbook import chart_workbook, xml_escape

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NUMBER_FORMAT = '0.00"%"'
EMU_PER_MM = 36000
#: Office palette, darker first; slices are outlined in white so neighbours stay distinct in print.
PALETTE = ("4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "264478", "9E480E", "636363", "997300")
#: Each chart's figures (section, field); its title is the template's: {{ charts.income.titled('收入决算结构') }}
#: (untitled, {{ charts.income }} names no series).
CHARTS = {"income": ("income", "parts"), "expense": ("expense", "parts"), "general": ("general", "classes")}


def chart_points(parts: list[Any]) -> list[tuple[str, Decimal]]:
    """Return (label, share in percent) for every part that has a positive share: the narrative's own figures."""
    return [(p.name, p.share) for p in parts if p.share is not None and p.share > 0]


def build_charts(fig: dict[str, Any]) -> dict[str, PieChart]:
    """Return the three structure charts (图1 收入, 图2 支出, 图3 财政拨款支出); render binds them to the template.

    A chart whose figures the profile does not compute is empty (falsy), so the template drops it.
    """
    return {key: PieChart("", chart_points(fig[section][field]) if field in fig.get(section, {}) else [])
            for key, (section, field) in CHARTS.items()}


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

    def titled(self, title: str) -> PieChart:
        """Return the chart named title (its series name and alternative text), as the template prints it."""
        self.title = title
        return self

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
        xlsx = Part(package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
                    CT.SML_SHEET, chart_workbook(self.title, self.points, NUMBER_FORMAT), package)
        chart = Part(package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART, b"", package)
        chart._blob = chart_xml(self.title, self.points, chart.relate_to(xlsx, RT.PACKAGE))
        r_id = part.relate_to(chart, RT.CHART)
        number = int(str(chart.partname).rsplit("chart", 1)[1].split(".")[0])
        return _inline_run(r_id, self.size, 5000 + number, self.title)


def chart_xml(title: str, points: list[tuple[str, Decimal]], xlsx_rid: str) -> bytes:
    """Return the c:chartSpace of a pie with percentage labels, a legend, zh-CN text and the embedded data."""
    last = len(points) + 1
    slices = "".join(_data_point(i, outline=len(points) > 1) for i in range(len(points)))
    labels = "".join(f'<c:pt idx="{i}"><c:v>{xml_escape(label)}</c:v></c:pt>' for i, (label, _) in enumerate(points))
    values = "".join(f'<c:pt idx="{i}"><c:v>{share}</c:v></c:pt>' for i, (_, share) in enumerate(points))
    count = f'<c:ptCount val="{len(points)}"/>'
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">'
        '<c:lang val="zh-CN"/><c:roundedCorners val="0"/><c:chart><c:autoTitleDeleted val="1"/>'
        '<c:plotArea><c:pieChart><c:varyColors val="1"/><c:ser><c:idx val="0"/><c:order val="0"/>'
        f'<c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0">'
        f'<c:v>{xml_escape(title)}</c:v></c:pt></c:strCache></c:strRef></c:tx>{slices}{_labels()}'
        f'<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${last}</c:f><c:strCache>{count}{labels}</c:strCache></c:strRef>'
        f'</c:cat><c:val><c:numRef><c:f>Sheet1!$B$2:$B${last}</c:f><c:numCache>'
        f'<c:formatCode>{xml_escape(NUMBER_FORMAT)}</c:formatCode>{count}{values}</c:numCache></c:numRef></c:val>'
        '</c:ser><c:firstSliceAng val="0"/></c:pieChart></c:plotArea>'
        '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/>'
        f'<c:dispBlanksAs val="gap"/></c:chart>{NO_BORDER}{_text_properties(1050)}'
        f'<c:externalData r:id="{xlsx_rid}"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>'
    ).encode("utf-8")


def _data_point(index: int, outline: bool) -> str:
    """A slice in the palette colour, outlined in white (a lone full circle gets no seam line)."""
    color = PALETTE[index % len(PALETTE)]
    line = '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>' if outline else "<a:noFill/>"
    return (f'<c:dPt><c:idx val="{index}"/><c:bubble3D val="0"/><c:spPr><a:solidFill><a:srgbClr val="{color}"/>'
            f'</a:solidFill><a:ln w="12700">{line}</a:ln></c:spPr></c:dPt>')


def _labels() -> str:
    """Data labels: the share as printed in the narrative (52.76%), outside the slice with leader lines."""
    return (f'<c:dLbls><c:numFmt formatCode="{xml_escape(NUMBER_FORMAT)}" sourceLinked="0"/>{NO_BORDER}'
            f'{_text_properties(1000)}<c:dLblPos val="bestFit"/>'
            '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
            '<c:showPercent val="0"/><c:showBubbleSize val="0"/><c:showLeaderLines val="1"/></c:dLbls>')


NO_BORDER = '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'


def _text_properties(size: int) -> str:
    """c:txPr naming an East Asian font, so labels never fall back to a Japanese or Latin face."""
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}" b="0">'
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
        f'<wp:docPr id="{shape_id}" name="图表 {shape_id}" descr="{xml_escape(title)}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{C_NS}">'
        f'<c:chart xmlns:c="{C_NS}" xmlns:r="{R_NS}" r:id="{r_id}"/></a:graphicData></a:graphic>'
        '</wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve">'
    )
