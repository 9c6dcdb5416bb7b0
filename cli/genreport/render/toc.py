"""The 目录: its lines listed from the document's headings (refresh_toc), each page number a PAGEREF field; the
copy LibreOffice lays out to fill those fields (office_copy); its page numbers written back (fill_toc)."""

from __future__ import annotations

import re
from pathlib import Path

from ..atomic import atomic_write
from .ooxml import add, declared, element

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = declared("w")


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


#: Paragraph styles listed in the 目录 with their level when a template's style has no outline level of its own.
TOC_LEVELS = {"Heading 1": 1, "Heading 2": 2, "表名": 2}


#: A bookmark around the 目录's lines in the copy LibreOffice lays out (office_copy).
LINES = "_GenreportTocLines"


def fill_toc(path: Path, lines: list[list[str]]) -> bool:
    """Write each 目录 line's page number as LibreOffice laid the document out (lines: [title, page] in the 目录's
    order, read back from office_copy's copy); return False, the file untouched, when the document has no 目录 or
    its lines are not the ones given.

    Only the page numbers' texts change; the fields (the 目录 and each line's PAGEREF) stay, so Word's 更新域 and
    WPS's 更新目录 still work.
    """
    from docx import Document

    from .fingerprint import stamp_document

    doc = Document(str(path))
    span = _toc_span(doc.element.body)
    written = [] if span is None else _page_texts(span)
    if not written or len(written) != len(lines) or any(_squeezed(title) != _squeezed(str(line[0]))
                                                        for (title, _), line in zip(written, lines)):
        return False
    for (_, page), line in zip(written, lines):
        page.text = str(line[1])
    stamp_document(doc)  # in the same write: a failure cannot leave a filled 目录 under the old fingerprint
    atomic_write(Path(path), lambda tmp: doc.save(str(tmp)))
    return True


def office_copy(path: Path, target: Path) -> None:
    """Write to target (a new private file) the copy of the docx that LibreOffice lays out for the PDF.

    LibreOffice keeps a 目录 field's lines as they were saved and would need a second layout pass to update them.
    In the copy the 目录 field's own codes are left out, so its lines are plain paragraphs whose PAGEREF fields are
    laid out like any other: one load and one export give the right page numbers. A bookmark (LINES) around the
    lines lets the office read them back in one call (fill_toc). The copy is stored uncompressed: it is read once.
    """
    import os
    import zipfile

    from .. import private

    with zipfile.ZipFile(path) as package, os.fdopen(private.create(target), "wb") as stream, \
            zipfile.ZipFile(stream, "w", zipfile.ZIP_STORED) as copy:
        for item in package.infolist():
            data = package.read(item)
            copy.writestr(item.filename, _unwrapped(data) if item.filename == "word/document.xml" else data)


def _unwrapped(document: bytes) -> bytes:
    """Return document.xml without the 目录 field's own codes and with LINES around its lines (unchanged without
    a 目录)."""
    from lxml import etree

    root = etree.fromstring(document, etree.XMLParser(resolve_entities=False, huge_tree=True))
    span = _toc_span(root)
    lines = [] if span is None else [p for p in _between(*span) if _is_line(p)]
    if not lines:
        return document
    for run in _field_code_runs(span):
        run.getparent().remove(run)
    number = _max_bookmark_id(root) + 1
    start = element("w:bookmarkStart", {"w:id": number, "w:name": LINES}, nsmap=_W)
    properties = lines[0].find(_q("pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        lines[0].insert(0, start)
    add(lines[-1], "w:bookmarkEnd", {"w:id": number})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _field_code_runs(span) -> list:
    """Return the runs holding the 目录 field's own begin, instruction, separator and end (not its lines' fields)."""
    runs, depth = [], 0
    for paragraph in _between(*span):
        for node in paragraph.iter(_q("fldChar"), _q("instrText")):
            kind = node.get(_q("fldCharType"))
            depth += kind == "begin"
            if depth == 1:
                runs.append(node.getparent())
            depth -= kind == "end"
    return runs


def _page_texts(span) -> list[tuple[str, object]]:
    """Return (title, the w:t holding its page number) for each 目录 line: the text after the line's last tab."""
    found = []
    for paragraph in filter(_is_line, _between(*span)):
        texts = list(paragraph.iter(_q("t"), _q("tab")))
        last_tab = max(i for i, node in enumerate(texts) if node.tag == _q("tab"))
        title = "".join(node.text or "" for node in texts[:last_tab] if node.tag == _q("t"))
        after = [node for node in texts[last_tab + 1:] if node.tag == _q("t")]
        if after:
            found.append((title, after[0]))
    return found


def _is_line(paragraph) -> bool:
    """True for a 目录 line: a paragraph with a tab between its title and its page number."""
    return any(run.find(_q("tab")) is not None for run in paragraph.iter(_q("r")))


def _squeezed(text: str) -> str:
    return "".join(text.split())


def refresh_toc(doc, listed: list[dict] | None = None) -> None:
    """List the finished document's headings in its TOC field, each linked to a _Toc bookmark and its page number a
    PAGEREF field to it (empty until laid out).

    listed (the profile's conventions.toc: text, level, at) replaces the headings: each line links to the first
    heading after the previous one that contains its `at` text, or, having none, to the next line's heading.
    --toc and --pdf fill the page numbers (LibreOffice: office_copy, fill_toc); Word and WPS fill them when their
    fields are updated; the links work before.
    """
    span = _toc_span(doc.element.body)
    if span is None:
        return
    by_style, highest = _style_levels(doc), _highest_level(span)
    paragraphs = _after_toc(doc.element.body, span[1])  # kept: id() of an lxml element holds while it is referenced
    levels = {id(p): _level(p, by_style) for p in paragraphs}
    headings = [p for p in paragraphs if 1 <= (levels[id(p)] or 0) <= highest and _text(p).strip()]
    if not headings:
        return
    ids = iter(range(_max_bookmark_id(doc.element.body) + 1, 10 ** 9))
    marks = {id(p): _bookmark(p, ids) for p in headings}  # each 目录 line links to its heading, PAGEREF to its page
    if listed:
        _replace_entries(doc, span, _listed_entries(listed, headings, marks))
        return
    entries = [(levels[id(p)], _text(p), "", marks[id(p)]) for p in headings]
    _replace_entries(doc, span, entries)


def _style_levels(doc) -> dict[str, int | None]:
    """Return {paragraph style id: its 目录 level}: the outline level it has or inherits (1 for 大纲 1级; None for
    正文文本), else its level in TOC_LEVELS by name, as Word and LibreOffice list paragraphs in a 目录."""
    levels: dict[str, int | None] = {}
    for style in doc.styles:
        outline = _inherited_outline(style)
        levels[style.style_id] = _outline(outline) if outline is not None else TOC_LEVELS.get(style.name)
    return levels


def _inherited_outline(style):
    """Return the outlineLvl element of style or of the nearest style it is based on, None when none has one."""
    while style is not None:
        outline = style.element.find(f"{_q('pPr')}/{_q('outlineLvl')}")
        if outline is not None:
            return outline
        style = getattr(style, "base_style", None)  # numbering styles have no base
    return None


def _level(paragraph, by_style: dict[str, int | None]) -> int | None:
    """Return the paragraph's 目录 level: its own outline level, else its style's (none for the default style)."""
    outline = paragraph.find(f"{_q('pPr')}/{_q('outlineLvl')}")
    return _outline(outline) if outline is not None else by_style.get(_style_of(paragraph))


def _outline(outline) -> int | None:
    """Return the 目录 level of an outlineLvl element (0-8 → 1-9; 9, 正文文本, or none → None)."""
    value = None if outline is None else outline.get(_q("val"), "")
    return int(value) + 1 if value is not None and value.isdigit() and int(value) < 9 else None


def _highest_level(span) -> int:
    """Return the deepest level the 目录 field lists: its \\o "1-N" switch (2 without one)."""
    code = "".join(t.text or "" for t in span[0].iter(_q("instrText")))
    found = re.search(r'\\o\s*"?\s*\d+\s*-\s*(\d+)', code)
    return int(found.group(1)) if found else 2


def _listed_entries(listed: list[dict], headings: list, marks: dict[int, str]) -> list[tuple[int, str, str, str]]:
    """Return the profile's 目录 lines, each with the bookmark of its heading (or of the next line's)."""
    anchors: list[str] = []
    start = 0
    for item in listed:
        wanted = _squeezed(item["at"])
        found = next((i for i in range(start, len(headings)) if wanted in _squeezed(_text(headings[i]))), None)
        anchors.append("" if found is None else marks[id(headings[found])])
        start = start if found is None else found + 1
    following = ""
    for index in reversed(range(len(anchors))):
        anchors[index] = following = anchors[index] or following
    return [(int(item["level"]), item["text"], "", anchor) for item, anchor in zip(listed, anchors)]


def _replace_entries(doc, span, entries: list[tuple[int, str, str, str]]) -> None:
    first, last = span
    styles = {level: _style_id(doc, f"TOC {level}") for level in {e[0] for e in entries}}
    field_start = [r for r in first.findall(_q("r")) if _ends_field_code(first, r)]
    new = [_entry(styles[level], text, page, anchor) for level, text, page, anchor in entries]
    _prepend_runs(new[0], field_start)
    new[-1].append(_field_char("end"))
    parent = first.getparent()
    position = parent.index(first)
    for paragraph in _between(first, last):
        parent.remove(paragraph)
    for offset, paragraph in enumerate(new):
        parent.insert(position + offset, paragraph)


def _after_toc(body, toc_end) -> list:
    found, node = [], toc_end.getnext()
    while node is not None:
        if node.tag == _q("p"):
            found.append(node)
        node = node.getnext()
    return found


def _style_of(paragraph) -> str:
    style = paragraph.find(f"{_q('pPr')}/{_q('pStyle')}")
    return "" if style is None else style.get(_q("val"), "")


def _text(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(_q("t")))


def _max_bookmark_id(body) -> int:
    found = [int(b.get(_q("id"), "0")) for b in body.iter(_q("bookmarkStart")) if b.get(_q("id"), "").isdigit()]
    return max(found, default=0)


def _bookmark(paragraph, ids) -> str:
    """Return the paragraph's _Toc bookmark name, adding one around its content when it has none."""
    for start in paragraph.iter(_q("bookmarkStart")):
        if start.get(_q("name"), "").startswith("_Toc"):
            return start.get(_q("name"))
    number = next(ids)
    name = f"_Toc{900000 + number}"
    start = element("w:bookmarkStart", {"w:id": number, "w:name": name}, nsmap=_W)
    end = element("w:bookmarkEnd", {"w:id": number}, nsmap=_W)
    ppr = paragraph.find(_q("pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph.insert(0, start)
    paragraph.append(end)
    return name


def _toc_span(body):
    """Return (first, last) paragraph of the TOC field when both are siblings, else None."""
    for paragraph in body.iter(_q("p")):
        if any("TOC" in (t.text or "") for t in paragraph.iter(_q("instrText"))):
            depth, sibling = 0, paragraph
            while sibling is not None:
                for char in sibling.iter(_q("fldChar")):
                    kind = char.get(_q("fldCharType"))
                    depth += {"begin": 1, "end": -1}.get(kind, 0)
                    if depth == 0:
                        return paragraph, sibling
                sibling = sibling.getnext()
            return None
    return None


def _between(first, last) -> list:
    found, node = [first], first
    while node is not last:
        node = node.getnext()
        found.append(node)
    return found


def _ends_field_code(paragraph, run) -> bool:
    """True for runs up to and including the TOC field's `separate` (the field code, not the cached entry)."""
    runs = paragraph.findall(_q("r"))
    separators = [i for i, r in enumerate(runs) if any(c.get(_q("fldCharType")) == "separate"
                                                       for c in r.iter(_q("fldChar")))]
    return bool(separators) and runs.index(run) <= separators[0]


def _prepend_runs(paragraph, runs) -> None:
    anchor = paragraph.find(_q("pPr"))
    for run in runs:
        if anchor is None:
            paragraph.insert(0, run)
        else:
            anchor.addnext(run)
        anchor = run


def _style_id(doc, name: str) -> str | None:
    try:
        return doc.styles[name].style_id
    except KeyError:
        return None


def _entry(style_id: str | None, text: str, page: str, anchor: str = ""):
    """Return one 目录 line: title, tab, page number; with the heading's bookmark known, the line links to it and its
    page number is a PAGEREF field to it (as Word writes a 目录), which every office fills when it lays out pages."""
    paragraph = element("w:p", nsmap=_W)
    if style_id:
        add(add(paragraph, "w:pPr"), "w:pStyle", {"w:val": style_id})
    holder = add(paragraph, "w:hyperlink", {"w:anchor": anchor, "w:history": 1}) if anchor else paragraph
    add(add(holder, "w:r"), "w:t", {"xml:space": "preserve"}, text)
    add(add(holder, "w:r"), "w:tab")
    if anchor:
        holder.append(_field_char("begin"))
        add(add(holder, "w:r"), "w:instrText", {"xml:space": "preserve"}, f" PAGEREF {anchor} \\h ")
        holder.append(_field_char("separate"))
    add(add(holder, "w:r"), "w:t", None, page)
    if anchor:
        holder.append(_field_char("end"))
    return paragraph


def _field_char(kind: str):
    run = element("w:r", nsmap=_W)
    add(run, "w:fldChar", {"w:fldCharType": kind})
    return run
