"""Headings carry bookmarks and every cached 目录 entry links to one (Word's TOC \\h behaviour)."""

import re
import zipfile

from genreport.api import generate_report


def test_every_toc_entry_links_to_a_heading_bookmark(sample_path, tmp_path):
    output = generate_report(sample_path, tmp_path).output
    xml = zipfile.ZipFile(output).read("word/document.xml").decode("utf-8")
    anchors = re.findall(r'<w:hyperlink w:anchor="(_Toc\d+)"', xml)
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(_Toc\d+)"', xml))
    assert len(anchors) >= 29
    assert set(anchors) == bookmarks


def test_a_heading_style_an_editor_adds_is_listed_by_its_outline_level(sample_path, tmp_path):
    """An editor adds a style with outline level 2 (大纲级别 2级) and uses it in the template: the 目录 lists that
    paragraph at level 2 where it stands, as Word's and LibreOffice's own 更新目录 would."""
    from click.testing import CliRunner
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    from genreport.commands import cli

    folder = tmp_path / "模板"
    assert CliRunner().invoke(cli, ["template", "export", str(folder)]).exit_code == 0
    template = Document(str(folder / "report.docx"))
    style = template.styles.add_style("补充标题", WD_STYLE_TYPE.PARAGRAPH)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "1")
    style.element.get_or_add_pPr().append(outline)
    terms = next(p for p in template.paragraphs if p.text.strip().endswith("名词解释") and p.style.name == "Heading 1")
    terms.insert_paragraph_before("补充说明：本单位无下属单位", style="补充标题")
    template.save(str(folder / "report.docx"))
    output = generate_report(sample_path, tmp_path / "out", template=folder).output
    lines = [(p.style.name, p.text.rpartition("\t")[0]) for p in Document(str(output)).paragraphs
             if p.style.name.startswith("TOC")]
    where = lines.index(("TOC 2", "补充说明：本单位无下属单位"))
    assert lines[where + 1][1].endswith("名词解释") and lines[where - 1][1] != "补充说明：本单位无下属单位"
