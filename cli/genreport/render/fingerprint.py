"""Editors' work is never lost: every document genreport writes carries a fingerprint of its body.

The fingerprint (a SHA-256 of the body XML as python-docx serialises it) is kept in the document's core property
"identifier" (not shown by Word or WPS). Before a document is replaced, its fingerprint is checked: a document that
was edited after genreport wrote it — or that genreport did not write — is replaced only with force, and then the
old file is first copied to a backup beside it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from lxml import etree

from ..errors import OutputError

PREFIX = "genreport-sha256:"
DC = "http://purl.org/dc/elements/1.1/"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def body_fingerprint(document) -> str:
    """Return the fingerprint of a python-docx Document's body."""
    return PREFIX + hashlib.sha256(etree.tostring(document.element.body)).hexdigest()


def stamp_document(document) -> None:
    """Record the fingerprint of the document (a python-docx Document, before it is saved)."""
    document.core_properties.identifier = body_fingerprint(document)


def unchanged_since_written(path: Path) -> bool:
    """True when the .docx at path is exactly as genreport last wrote it (its fingerprint still matches).

    Reads only the two parts concerned (core properties, main document); a package laid out otherwise is
    opened whole with python-docx.
    """
    try:
        recorded, body = _parts(Path(path))
    except (KeyError, etree.XMLSyntaxError):
        recorded, body = _whole(Path(path))
    except Exception:  # noqa: BLE001 - not a readable .docx: certainly not ours to replace silently
        return False
    return recorded.startswith(PREFIX) and body is not None and \
        recorded == PREFIX + hashlib.sha256(etree.tostring(body)).hexdigest()


def _parts(path: Path) -> tuple[str, object]:
    """Return (recorded fingerprint, body element) read from docProps/core.xml and word/document.xml."""
    import zipfile

    from docx.oxml.parser import parse_xml  # the parser python-docx reads with: same body serialisation

    with zipfile.ZipFile(path) as package:
        core = parse_xml(package.read("docProps/core.xml"))
        identifier = core.find(f"{{{DC}}}identifier")
        recorded = (identifier.text or "") if identifier is not None else ""
        if not recorded.startswith(PREFIX):
            return recorded, None
        document = parse_xml(package.read("word/document.xml"))
    return recorded, document.find(f"{{{W}}}body")


def _whole(path: Path) -> tuple[str, object]:
    from docx import Document

    try:
        document = Document(str(path))
    except Exception:  # noqa: BLE001 - not a readable .docx
        return "", None
    return document.core_properties.identifier or "", document.element.body


def protect_edited(target: Path, force: bool) -> Path | None:
    """Make sure replacing target loses nothing; return the backup made (None when none was needed).

    Raises OutputError when target was changed since genreport wrote it and force is not set.
    """
    target = Path(target)
    _refuse_non_file(target)
    if not target.exists() or unchanged_since_written(target):
        return None
    if not force:
        raise OutputError.of("“{name}”在生成后被修改过（或不是 genreport 生成的），为免丢失编辑的内容没有覆盖它。"
                             "请用 -o 另选输出文件名；确实要重新生成时加 --force，旧文件会先另存为备份。",
                             name=Path(target.name))
    from ..atomic import backup_copy

    return backup_copy(target)


def _refuse_non_file(target: Path) -> None:
    """Raise OutputError naming the true cause when target is a folder, a link or no ordinary file."""
    import os
    import stat

    from ..oserrors import advice, reason
    from ..visible import printable

    try:
        mode = os.lstat(target).st_mode
    except OSError:  # absent, or unreachable: the write reports why in one sentence
        return
    name = Path(printable(target.name))
    if stat.S_ISDIR(mode):
        raise OutputError.of("输出位置“{name}”是一个文件夹，不能用作 Word 文档；请把它改名，或用 -o 另选输出文件名。",
                             name=name)
    if stat.S_ISLNK(mode):
        raise OutputError.of("输出位置“{name}”是一个快捷方式（符号链接），genreport 不会通过它写入别处的文件；"
                             "请删除它，或用 -o 另选输出文件名。", name=name)
    if not stat.S_ISREG(mode):
        raise OutputError.of("输出位置“{name}”不是普通文件（可能是设备或管道），请用 -o 另选输出文件名。", name=name)
    try:
        target.open("rb").close()
    except OSError as exc:
        raise OutputError.of("无法读取已有的“{name}”（{reason}），不能确认它是否被编辑过，没有覆盖它；{advice}，"
                             "或用 -o 另选输出文件名。", name=name, reason=reason(exc), advice=advice(exc)) from None
