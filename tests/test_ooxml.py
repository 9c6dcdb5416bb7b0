"""The tables, the 目录 lines and the chart parts are built as lxml elements: any text prints exactly as typed.

tests/ooxml/*.xml hold what the earlier string builder made for the same inputs (typed text with & < > " ' ]]>,
a line break, blank cells); the element builder must give the same parsed XML. After an intended change of the
XML, rewrite them with `python tests/test_ooxml.py` and review the diff.
"""

from __future__ import annotations

import copy
import io
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).resolve().parent / "ooxml"
HOSTILE = ' A&B <c> "d" \'e\' ]]> {x}'
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
POINTS = [('a&b<c>"d" ]]>', Decimal("12.50")), ("=SUM(A1)", Decimal("87.50")), ("-x", Decimal("0.01"))]
TOC_LINES = [("TOC1", 'a&b<c>"d"', "12", "_Toc1"), (None, "x", "", ""), ('T"2', "y <z>", "3", 'a"&')]


def _hostile_data() -> dict[str, Any]:
    """Return the sample's plain data with typed XML characters in every 科目名称 and a line break in one."""
    import yaml
    from build_sample import sample_data

    data = sample_data(yaml.safe_load((ROOT / "samples/xinxiang-2024/seed_data.yaml").read_text(encoding="utf-8")))
    for table in data["tables"].values():
        for row in table.get("rows", []):
            if isinstance(row.get("name"), str):
                row["name"] += HOSTILE
    data["tables"]["t05"]["rows"][0]["name"] = "一般公共\n服务支出" + HOSTILE
    return data


def _table_body(folder: Path) -> etree._Element:
    """Return a w:body holding four of the sample's tables (their first rows) as insert_tables builds them."""
    from docx import Document

    from genreport.api import check_workbook
    from genreport.excel import write_workbook
    from genreport.figures import compute_figures
    from genreport.profile import load_profile
    from genreport.render.context import build_context
    from genreport.render.tables import _table_section
    from genreport.spec import load_spec

    source = write_workbook(folder / "hostile.xlsx", load_spec("standard"), _hostile_data())
    workbook, _ = check_workbook(source)
    profile = load_profile()
    context = build_context(workbook, compute_figures(workbook), profile)
    document = Document(str(profile.template_path))
    body = etree.Element(f"{{{W}}}body", nsmap={"w": W})
    for index, table_id in enumerate(("t01", "t05", "t06", "t09")):
        view = {**context["tables"][table_id]}
        view["rows"] = view["rows"][:4]
        for element in _table_section(document, view, 156.0 if index < 2 else 243.0, new_page=index != 1):
            body.append(copy.deepcopy(element))
    return body


def _made(folder: Path) -> dict[str, bytes]:
    """Return every reference part as the code under test makes it."""
    from genreport.render.chartbook import chart_workbook
    from genreport.render.charts import chart_xml
    from genreport.render.toc import _entry

    made = {"tables.xml": etree.tostring(_table_body(folder), encoding="UTF-8")}
    toc = etree.Element(f"{{{W}}}body", nsmap={"w": W})
    for line in TOC_LINES:
        toc.append(copy.deepcopy(_entry(*line)))
    made["toc.xml"] = etree.tostring(toc, encoding="UTF-8")
    for n, points in enumerate((POINTS, POINTS[:1], [])):
        made[f"chart{n}.xml"] = chart_xml('T<&">\'', points, "rId1")
        with zipfile.ZipFile(io.BytesIO(chart_workbook('T<&">', points, '0.00"%"'))) as book:
            for name in book.namelist():
                if name.endswith(".xml"):
                    made[f"book{n}-{name.replace('/', '_')}"] = book.read(name)
    return made


def _shape(element: etree._Element) -> tuple:
    """Return the element as nested tuples (tag, attributes, text, tail, children): namespace prefixes aside."""
    return (element.tag, sorted(element.attrib.items()), element.text or "", element.tail or "",
            [_shape(child) for child in element])


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, bytes]:
    return _made(tmp_path_factory.mktemp("ooxml"))


def test_every_reference_is_made():
    assert sorted(p.name for p in REFERENCE.glob("*.xml")) == sorted(_made_names())


def _made_names() -> list[str]:
    return ["tables.xml", "toc.xml"] + [f"chart{n}.xml" for n in range(3)] + [
        f"book{n}-{name}" for n in range(3) for name in ("[Content_Types].xml", "xl_workbook.xml",
                                                           "xl_worksheets_sheet1.xml", "xl_styles.xml",
                                                           "xl_sharedStrings.xml")]


@pytest.mark.parametrize("name", _made_names())
def test_element_builder_gives_the_string_builders_xml(made, name):
    assert _shape(etree.fromstring(made[name])) == _shape(etree.fromstring((REFERENCE / name).read_bytes()))


def test_typed_text_prints_exactly_as_typed(made):
    body = etree.fromstring(made["tables.xml"])
    cells = ["".join(t.text or "" for t in tc.iter(f"{{{W}}}t")) for tc in body.iter(f"{{{W}}}tc")]
    assert sum(c.endswith(HOSTILE) for c in cells) >= 3
    first = next(tc for tc in body.iter(f"{{{W}}}tc") if "".join(tc.itertext()) == "一般公共服务支出" + HOSTILE)
    assert [e.tag.split("}")[1] for e in first.iter(f"{{{W}}}t", f"{{{W}}}br")] == ["t", "br", "t"]
    toc = etree.fromstring(made["toc.xml"])
    assert ["".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in toc] == ['a&b<c>"d"12', "x", "y <z>3"]
    assert [t.text for t in toc.iter(f"{{{W}}}instrText")] == [" PAGEREF _Toc1 \\h ", ' PAGEREF a"& \\h ']
    assert toc[2].find(f"{{{W}}}hyperlink").get(f"{{{W}}}anchor") == 'a"&'
    chart = etree.fromstring(made["chart0.xml"])
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    assert [v.text for v in chart.iter(f"{c}v")][:4] == ['T<&">\'', POINTS[0][0], POINTS[1][0], POINTS[2][0]]


def write_references() -> None:
    """Rewrite tests/ooxml/ from the current code (run after an intended change of the XML)."""
    import tempfile

    REFERENCE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, data in _made(Path(folder)).items():
            (REFERENCE / name).write_bytes(data)


if __name__ == "__main__":
    import genreport  # noqa: F401 - the installed package (or PYTHONPATH) before build_sample adds cli/

    sys.path.insert(0, str(ROOT / "samples"))
    write_references()
