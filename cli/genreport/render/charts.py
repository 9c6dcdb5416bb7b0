"""Native, editable Word pie charts (chart part + embedded workbook) placed by docxtpl at {{ charts.x }}."""

from __future__ import annotations

import weakref
from decimal import Decimal
from typing import Any

from lxml import etree

from .chartbook import chart_workbook
from .ooxml import add, declared, element, to_bytes

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
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
        self._drawings: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __bool__(self) -> bool:
        return bool(self.points)

    def titled(self, title: str) -> PieChart:
        """Return the chart named title (its series name and alternative text), as the template prints it."""
        self.title = title
        return self

    def __html__(self) -> str:
        """Return what docxtpl prints at {{ charts.x }}: the drawing in the part being rendered."""
        return self.get_or_add_drawing(self.tpl.current_rendering_part)

    __str__ = __html__

    def get_or_add_drawing(self, part: Any) -> str:
        """Return the run XML of the chart's drawing in part; its chart and workbook parts are added to the
        package the first time only, so printing the chart again adds nothing."""
        if part not in self._drawings:
            self._drawings[part] = self._add_parts(part)
        return self._drawings[part]

    def _add_parts(self, part: Any) -> str:
        """Add the chart and workbook parts, related from part; return the run XML of the drawing."""
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.part import Part

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
    space = element("c:chartSpace", nsmap=declared("c", "a", "r"))
    add(space, "c:lang", {"val": "zh-CN"})
    add(space, "c:roundedCorners", {"val": 0})
    chart = add(space, "c:chart")
    add(chart, "c:autoTitleDeleted", {"val": 1})
    pie = add(add(chart, "c:plotArea"), "c:pieChart")
    add(pie, "c:varyColors", {"val": 1})
    series = add(pie, "c:ser")
    add(series, "c:idx", {"val": 0})
    add(series, "c:order", {"val": 0})
    _add_data(add(series, "c:tx"), "Sheet1!$B$1", [title])
    for index in range(len(points)):
        _add_slice(series, index, outline=len(points) > 1)
    _add_labels(series)
    _add_data(add(series, "c:cat"), f"Sheet1!$A$2:$A${last}", [label for label, _ in points])
    _add_data(add(series, "c:val"), f"Sheet1!$B$2:$B${last}", [str(share) for _, share in points], NUMBER_FORMAT)
    add(pie, "c:firstSliceAng", {"val": 0})
    legend = add(chart, "c:legend")
    add(legend, "c:legendPos", {"val": "r"})
    add(legend, "c:overlay", {"val": 0})
    add(chart, "c:plotVisOnly", {"val": 1})
    add(chart, "c:dispBlanksAs", {"val": "gap"})
    _add_no_border(space)
    _add_text_properties(space, 1050)
    add(add(space, "c:externalData", {"r:id": xlsx_rid}), "c:autoUpdate", {"val": 0})
    return to_bytes(space)


def _add_data(parent: Any, formula: str, values: list[str], number_format: str | None = None) -> None:
    """Add the reference to the embedded sheet's cells (formula) with the cached values: texts, or numbers in
    number_format."""
    reference = add(parent, "c:strRef" if number_format is None else "c:numRef")
    add(reference, "c:f", text=formula)
    cache = add(reference, "c:strCache" if number_format is None else "c:numCache")
    if number_format is not None:
        add(cache, "c:formatCode", text=number_format)
    add(cache, "c:ptCount", {"val": len(values)})
    for index, value in enumerate(values):
        add(add(cache, "c:pt", {"idx": index}), "c:v", text=value)


def _add_slice(series: Any, index: int, outline: bool) -> None:
    """Add a slice in the palette colour, outlined in white (a lone full circle gets no seam line)."""
    point = add(series, "c:dPt")
    add(point, "c:idx", {"val": index})
    add(point, "c:bubble3D", {"val": 0})
    shape = add(point, "c:spPr")
    add(add(shape, "a:solidFill"), "a:srgbClr", {"val": PALETTE[index % len(PALETTE)]})
    line = add(shape, "a:ln", {"w": 12700})
    if outline:
        add(add(line, "a:solidFill"), "a:srgbClr", {"val": "FFFFFF"})
    else:
        add(line, "a:noFill")


def _add_labels(series: Any) -> None:
    """Add the data labels: the share as printed in the narrative (52.76%), outside the slice with leader lines."""
    labels = add(series, "c:dLbls")
    add(labels, "c:numFmt", {"formatCode": NUMBER_FORMAT, "sourceLinked": 0})
    _add_no_border(labels)
    _add_text_properties(labels, 1000)
    add(labels, "c:dLblPos", {"val": "bestFit"})
    for name, shown in (("LegendKey", 0), ("Val", 1), ("CatName", 0), ("SerName", 0), ("Percent", 0),
                        ("BubbleSize", 0), ("LeaderLines", 1)):
        add(labels, f"c:show{name}", {"val": shown})


def _add_no_border(parent: Any) -> None:
    shape = add(parent, "c:spPr")
    add(shape, "a:noFill")
    add(add(shape, "a:ln"), "a:noFill")


def _add_text_properties(parent: Any, size: int) -> None:
    """Add the c:txPr naming an East Asian font, so labels never fall back to a Japanese or Latin face."""
    text = add(parent, "c:txPr")
    add(text, "a:bodyPr")
    add(text, "a:lstStyle")
    paragraph = add(text, "a:p")
    run = add(add(paragraph, "a:pPr"), "a:defRPr", {"sz": size, "b": 0})
    add(add(run, "a:solidFill"), "a:srgbClr", {"val": "000000"})
    for face, typeface in (("latin", "Times New Roman"), ("ea", "宋体"), ("cs", "Times New Roman")):
        add(run, f"a:{face}", {"typeface": typeface})
    add(paragraph, "a:endParaRPr", {"lang": "zh-CN"})


def _inline_run(r_id: str, size: tuple[int, int], shape_id: int, title: str) -> str:
    """Return the run XML (closing and reopening the template's run) holding the inline chart drawing.

    docxtpl prints it in place of {{ charts.x }}, inside the run of the placeholder; only the drawing varies.
    """
    cx, cy = size
    inline = element("wp:inline", {"distT": 0, "distB": 0, "distL": 0, "distR": 0}, nsmap=declared("wp"))
    add(inline, "wp:extent", {"cx": cx, "cy": cy})
    add(inline, "wp:effectExtent", {"l": 0, "t": 0, "r": 0, "b": 0})
    add(inline, "wp:docPr", {"id": shape_id, "name": f"图表 {shape_id}", "descr": title})
    add(inline, "wp:cNvGraphicFramePr")
    graphic = add(add(inline, "a:graphic", nsmap=declared("a")), "a:graphicData", {"uri": C_NS})
    add(graphic, "c:chart", {"r:id": r_id}, nsmap=declared("c", "r"))
    drawing = etree.tostring(inline, encoding="unicode")
    return f'</w:t></w:r><w:r><w:drawing>{drawing}</w:drawing></w:r><w:r><w:t xml:space="preserve">'
