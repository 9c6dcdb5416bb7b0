"""Write LibreOffice's computed 目录 lines (title + page number) into the cached result of our TOC field."""

from __future__ import annotations

from pathlib import Path

from ..atomic import atomic_write
from .ooxml import add, declared, element

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = declared("w")


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


#: Paragraph styles listed in the 目录, with their level.
TOC_LEVELS = {"Heading 1": 1, "Heading 2": 2, "表名": 2}


#: A hidden bookmark in the first entry of a 目录 written from the profile's list (conventions.toc).
LISTED = "_GenreportTocList"


def fill_toc(path: Path, entries: list[list]) -> bool:
    """Replace the TOC field's cached entries with [level, text, page] lines; return False if there is no TOC.

    The field itself (begin, instruction, separate … end) stays, so Word's 更新域 and WPS's 更新目录 still work.
    A 目录 written from the profile's list keeps its lines and takes each page from the heading it links to.
    """
    from docx import Document

    from .fingerprint import stamp_document

    if not entries:
        return False
    doc = Document(str(path))
    span = _toc_span(doc.element.body)
    if span is None:
        return False
    anchors = _heading_anchors(doc.element.body, span[1])
    if len(anchors) != len(entries):
        anchors = [""] * len(entries)
    if _is_listed(span):
        _fill_pages(span, _pages_by_anchor(doc.element.body, anchors, entries))
    else:
        _replace_entries(doc, span, [(int(level), str(text), str(page), anchor)
                                     for (level, text, page), anchor in zip(entries, anchors)])
    stamp_document(doc)  # in the same write: a failure cannot leave a filled 目录 under the old fingerprint
    atomic_write(Path(path), lambda tmp: doc.save(str(tmp)))
    return True


def refresh_toc(doc, listed: list[dict] | None = None) -> None:
    """List the finished document's headings in its TOC field, each linked to a _Toc bookmark (no page numbers).

    listed (the profile's conventions.toc: text, level, at) replaces the headings: each line links to the first
    heading after the previous one that contains its `at` text, or, having none, to the next line's heading.
    Word and LibreOffice add the page numbers when the field is updated (--toc, --pdf); the links work before.
    """
    span = _toc_span(doc.element.body)
    if span is None:
        return
    names = {s.style_id: s.name for s in doc.styles}
    headings = [p for p in _after_toc(doc.element.body, span[1])
                if TOC_LEVELS.get(names.get(_style_of(p), "")) and _text(p).strip()]
    if not headings:
        return
    ids = iter(range(_max_bookmark_id(doc.element.body) + 1, 10 ** 9))
    marks = {id(p): _bookmark(p, ids) for p in headings}  # every heading: fill_toc pairs them with LibreOffice's lines
    if listed:
        _replace_entries(doc, span, _listed_entries(listed, headings, marks))
        _mark_listed(_toc_span(doc.element.body)[0], next(ids))
        return
    entries = [(TOC_LEVELS[names[_style_of(p)]], _text(p), "", marks[id(p)]) for p in headings]
    _replace_entries(doc, span, entries)


def _listed_entries(listed: list[dict], headings: list, marks: dict[int, str]) -> list[tuple[int, str, str, str]]:
    """Return the profile's 目录 lines, each with the bookmark of its heading (or of the next line's)."""
    anchors: list[str] = []
    start = 0
    for item in listed:
        wanted = "".join(item["at"].split())
        found = next((i for i in range(start, len(headings)) if wanted in "".join(_text(headings[i]).split())), None)
        anchors.append("" if found is None else marks[id(headings[found])])
        start = start if found is None else found + 1
    following = ""
    for index in reversed(range(len(anchors))):
        anchors[index] = following = anchors[index] or following
    return [(int(item["level"]), item["text"], "", anchor) for item, anchor in zip(listed, anchors)]


def _mark_listed(first, number: int) -> None:
    """Mark the 目录's first line as written from the profile's list (fill_toc then keeps the lines)."""
    add(first, "w:bookmarkStart", {"w:id": number, "w:name": LISTED})
    add(first, "w:bookmarkEnd", {"w:id": number})


def has_listed_toc(path: Path) -> bool:
    """Return True when the docx's 目录 was written from the profile's list (LibreOffice must not rebuild it)."""
    import zipfile

    with zipfile.ZipFile(path) as package:
        return f'w:name="{LISTED}"'.encode() in package.read("word/document.xml")


def _is_listed(span) -> bool:
    return any(b.get(_q("name")) == LISTED for p in _between(*span) for b in p.iter(_q("bookmarkStart")))


def _pages_by_anchor(body, anchors: list[str], entries: list[list]) -> dict[str, str]:
    """Return each heading bookmark's page: paired in order with LibreOffice's lines, else by the heading's text."""
    if any(anchors):
        return {anchor: str(page) for anchor, (_, _, page) in zip(anchors, entries)}
    by_text = {"".join(str(text).split()): str(page) for _, text, page in reversed(entries)}  # the first one wins
    pages = {}
    for start in body.iter(_q("bookmarkStart")):
        name, paragraph = start.get(_q("name"), ""), start.getparent()
        if name.startswith("_Toc") and paragraph.tag == _q("p"):
            pages[name] = by_text.get("".join(_text(paragraph).split()), "")
    return pages


def _fill_pages(span, pages: dict[str, str]) -> None:
    """Write each listed 目录 line's page number: the page of the heading its link points to."""
    for paragraph in _between(*span):
        link = paragraph.find(_q("hyperlink"))
        if link is None:
            continue
        runs = link.findall(_q("r"))
        tabs = [i for i, r in enumerate(runs) if r.find(_q("tab")) is not None]
        if tabs and tabs[-1] + 1 < len(runs):
            page = runs[tabs[-1] + 1].find(_q("t"))
            if page is not None:
                page.text = pages.get(link.get(_q("anchor"), ""), "")


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


def _heading_anchors(body, toc_end) -> list[str]:
    """Return the _Toc bookmarks the template puts on its headings, in document order after the TOC."""
    names = []
    for start in body.iter(_q("bookmarkStart")):
        name = start.get(_q("name"), "")
        if name.startswith("_Toc") and _after(start, toc_end):
            names.append(name)
    return names


def _after(node, anchor) -> bool:
    paragraph = node.getparent()
    while paragraph is not None and paragraph.getparent() is not anchor.getparent():
        paragraph = paragraph.getparent()
    parent = anchor.getparent()
    return paragraph is not None and parent.index(paragraph) > parent.index(anchor)


def _entry(style_id: str | None, text: str, page: str, anchor: str = ""):
    """Return one 目录 line: title, tab, page number; a link to the heading's bookmark when known."""
    paragraph = element("w:p", nsmap=_W)
    if style_id:
        add(add(paragraph, "w:pPr"), "w:pStyle", {"w:val": style_id})
    holder = add(paragraph, "w:hyperlink", {"w:anchor": anchor, "w:history": 1}) if anchor else paragraph
    add(add(holder, "w:r"), "w:t", {"xml:space": "preserve"}, text)
    add(add(holder, "w:r"), "w:tab")
    add(add(holder, "w:r"), "w:t", None, page)
    return paragraph


def _field_char(kind: str):
    run = element("w:r", nsmap=_W)
    add(run, "w:fldChar", {"w:fldCharType": kind})
    return run
