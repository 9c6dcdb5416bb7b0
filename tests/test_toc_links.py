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
