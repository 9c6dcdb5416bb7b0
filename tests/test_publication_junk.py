"""A publication genreport cannot read (random bytes, a truncated PDF, a .docx that is not one) is one Chinese
sentence and exit 2 on its own, one 无法处理 row when a folder is checked and one refusal on the web page; never
程序内部出错 or a traceback."""

from __future__ import annotations

import io
import json
import random
import shutil
from pathlib import Path

import pytest
from _hostile import SAMPLE, TRACEBACK, assert_clean_failure, run_cli
from docx import Document
from pdf_support import pdf_of

PDF_SENTENCE = "可能不是有效的 PDF 文件，或文件已损坏"
DOCX_SENTENCE = "可能不是有效的 Word 文档（.docx），或文件已损坏"


def _text_pdf() -> bytes:
    """Return a one-page PDF with one line of text (what an exported document is, in miniature)."""
    stream = b"BT /F1 12 Tf 72 720 Td (Department final accounts 2024) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return pdf_of(objects)


def _word_bytes() -> bytes:
    document = Document()
    document.add_paragraph("2024年度部门决算")
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


NOISE = random.Random(30).randbytes(4000)
JUNK = {  # file name → its bytes, as an accountant's folder may hold them
    "乱码.pdf": NOISE,
    "没下载完.pdf": _text_pdf()[:len(_text_pdf()) // 2],
    "乱码.docx": NOISE,
    "没下载完.docx": _word_bytes()[:len(_word_bytes()) // 2],
    "工作簿改名.docx": SAMPLE.read_bytes(),  # a zip, but an Excel workbook renamed
}


def _sentence(name: str) -> str:
    return f"无法读取“{name}”：" + (PDF_SENTENCE if name.endswith(".pdf") else DOCX_SENTENCE)


def _junk(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(JUNK[name])
    return path


def test_the_whole_pdf_reads(tmp_path):  # the truncated one fails because it is cut, not because it is odd
    from genreport.publication.read import read_document

    (tmp_path / "整份.pdf").write_bytes(_text_pdf())
    assert [b.text for b in read_document(tmp_path / "整份.pdf").blocks] == ["Department final accounts 2024"]


@pytest.mark.parametrize("name", sorted(JUNK))
def test_checking_a_file_that_is_not_a_publication_is_one_sentence(tmp_path, name):
    result = run_cli("check", _junk(tmp_path, name))
    assert_clean_failure(result, 2, _sentence(name))


@pytest.mark.parametrize("name", sorted(JUNK))
def test_importing_a_file_that_is_not_a_publication_is_one_sentence_and_writes_nothing(tmp_path, name):
    result = run_cli("import", _junk(tmp_path, name), "-o", tmp_path / "导入.xlsx")
    assert_clean_failure(result, 2, _sentence(name))
    assert not (tmp_path / "导入.xlsx").exists()


def test_an_empty_pdf_is_called_empty(tmp_path):
    (tmp_path / "空.pdf").write_bytes(b"")
    assert_clean_failure(run_cli("check", tmp_path / "空.pdf"), 2, "“空.pdf”是空文件（0 字节）")


def test_what_the_pdf_library_skips_in_a_damaged_file_is_not_printed_in_english(tmp_path):
    from _hostile import run_subprocess  # a real process: logging as the command line leaves it (not configured)

    damaged = tmp_path / "字体损坏.pdf"
    damaged.write_bytes(_text_pdf().replace(b"/F1 12 Tf", b"/F1 (x) Tf"))  # pdfminer logs "Could not set text font"
    result = run_subprocess("check", damaged)
    assert_clean_failure(result, 2, "找不到任何一张公开表的表名")
    assert all(line.startswith("错误：") for line in result.err.splitlines()), result.err


def test_a_pdf_locked_with_a_password_is_called_locked(tmp_path):
    locked = tmp_path / "加密.pdf"  # a user password that is not empty: the empty one pdfminer tries is refused
    security = (b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >> "
                b"/ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>")
    locked.write_bytes(_text_pdf().replace(b"/Root 1 0 R >>", b"/Root 1 0 R " + security))
    for args in (("check", locked), ("import", locked, "-o", tmp_path / "导入.xlsx")):
        assert_clean_failure(run_cli(*args), 2, "“加密.pdf”设置了密码（或加密方式无法识别），无法读取")
    assert not (tmp_path / "导入.xlsx").exists()


def test_a_folder_check_goes_on_past_junk_and_lists_each_junk_file_once(generated, tmp_path):
    folder = tmp_path / "公开文本"
    folder.mkdir()
    shutil.copy(generated["central"][1], folder / "甲部门.docx")
    shutil.copy(SAMPLE, folder / "工作簿.xlsx")  # a workbook is not a publication: not listed
    for name in JUNK:
        _junk(folder, name)
    result = run_cli("check", folder, "-o", tmp_path / "结果")
    assert result.code == 1 and TRACEBACK not in result.text and "程序内部出错" not in result.text, result.text
    assert "检查通过：" in result.out and "甲部门.docx" in result.out
    assert sorted(line.split("/")[-1].split("（")[0] for line in result.out.splitlines()
                  if line.startswith("无法处理：")) == sorted(JUNK)
    summary = json.loads((tmp_path / "结果" / "汇总.json").read_text(encoding="utf-8"))
    rows = {Path(item["file"]).name: item for item in summary["items"]}
    assert sorted(rows) == sorted([*JUNK, "甲部门.docx"])
    assert rows["甲部门.docx"]["status_label"] == "检查通过"
    for name in JUNK:
        assert rows[name]["status_label"] == "无法处理"
        assert [p["message"] for p in rows[name]["problems"]] == [_sentence(name) + _advice(name)]
    assert (tmp_path / "结果" / "汇总.xlsx").is_file()


def _advice(name: str) -> str:
    if name.endswith(".pdf"):
        return "（例如没有下载完整）；请先用 PDF 阅读器打开确认，再重新导出或重新下载后重试。"
    return "；请先用 Word/WPS 打开确认，再另存为 .docx 后重试。"


def test_a_folder_check_goes_on_when_one_file_breaks_the_program(tmp_path, monkeypatch):
    import genreport.publication.audit as audit

    checked = audit.check_publication

    def breaks_on_the_first(source, profile=None):
        if Path(source).name == "甲.pdf":
            raise RuntimeError("a bug")
        return checked(source, profile)

    monkeypatch.setattr(audit, "check_publication", breaks_on_the_first)
    folder = tmp_path / "公开文本"
    folder.mkdir()
    for name in ("甲.pdf", "乙.pdf"):
        (folder / name).write_bytes(NOISE)
    result = run_cli("check", folder, "-o", tmp_path / "结果")
    assert result.code == 1 and TRACEBACK not in result.text, result.text
    summary = json.loads((tmp_path / "结果" / "汇总.json").read_text(encoding="utf-8"))
    messages = {Path(item["file"]).name: [p["message"] for p in item["problems"]] for item in summary["items"]}
    assert messages["甲.pdf"] == ["程序内部出错（RuntimeError），请把该文件反馈给技术支持"]
    assert messages["乙.pdf"] == [_sentence("乙.pdf") + _advice("乙.pdf")]


@pytest.mark.parametrize("name", ["乱码.pdf", "没下载完.pdf", "乱码.docx"])
def test_the_web_check_step_refuses_a_junk_publication_in_one_sentence(name):
    from test_web import client_for, upload

    with client_for() as client:
        response = client.post("/api/check", files=upload(JUNK[name], f"2024年{name}"))
    assert response.status_code == 422, response.text
    assert response.json() == {"error": _sentence(f"2024年{name}") + _advice(name)}
