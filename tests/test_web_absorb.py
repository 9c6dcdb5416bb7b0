"""The page's 吸收 step: upload the edited .docx and its workbook, download the updated workbook and the list."""

from __future__ import annotations

import io
import warnings
import zipfile

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

import openpyxl  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from absorb_support import add_after, bold_a_word, keyed, open_document, set_split  # noqa: E402
from genreport.api import generate_report  # noqa: E402
from genreport.web import Settings, create_app  # noqa: E402
from test_web import download_name, leftovers  # noqa: E402

PAGE = {"X-Genreport": "1"}


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(workers=1, timeout=120))
    with TestClient(app, base_url="http://127.0.0.1", headers=PAGE) as c:
        yield c


@pytest.fixture(scope="module")
def edited(sample_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("edited")
    document = open_document(generate_report(sample_path, folder / "报告.docx").output)
    set_split(keyed(document, "s1"), "网页上改写的第一段。")
    add_after(keyed(document, "s3"), "网页上新加的一段。")
    bold_a_word(keyed(document, "s2"))
    document.save(str(folder / "编辑后.docx"))
    return (folder / "编辑后.docx").read_bytes()


def _files(document: bytes | None, workbook: bytes | None) -> list:
    files = []
    if document is not None:
        files.append(("document", ("编辑后.docx", document, "application/octet-stream")))
    if workbook is not None:
        files.append(("file", ("部门工作簿.xlsx", workbook, "application/octet-stream")))
    return files


def test_the_page_offers_the_round_trip(client):
    page = client.get("/").text
    assert 'id="absorb-form"' in page and "写回工作簿" in page and "文字调整" in page


def test_absorb_downloads_the_updated_workbook_and_the_list(client, edited, sample_path):
    response = client.post("/api/absorb", files=_files(edited, sample_path.read_bytes()))
    assert response.status_code == 200, response.text
    assert download_name(response) == "部门工作簿.吸收结果.zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["吸收清单.txt", "部门工作簿.已吸收.xlsx"]
        listing = archive.read("吸收清单.txt").decode("utf-8")
        book = openpyxl.load_workbook(io.BytesIO(archive.read("部门工作簿.已吸收.xlsx")))
    rows = [[c.value for c in row[:3]] for row in book["文字调整"].iter_rows(min_row=3) if row[0].value]
    assert rows == [["s1", "替换", "网页上改写的第一段。"], ["s3", "追加", "网页上新加的一段。"]]
    assert listing.startswith("编辑后.docx：吸收 2 处改动") and "加粗" in listing
    assert "wb-" not in listing and "/tmp" not in listing  # the server's names never reach the user
    assert leftovers(client) == []


def test_absorb_without_a_document_or_with_a_doc_is_refused(client, sample_path):
    missing = client.post("/api/absorb", files=_files(None, sample_path.read_bytes()))
    assert missing.status_code == 400 and ".docx" in missing.json()["error"]
    old = client.post("/api/absorb", files=[("document", ("旧格式.doc", b"\xd0\xcf\x11\xe0", "application/msword")),
                                            ("file", ("部门工作簿.xlsx", sample_path.read_bytes(), "x"))])
    assert old.status_code == 400 and "另存为 .docx" in old.json()["error"]


def test_a_document_with_tracked_changes_is_the_clis_sentence(client, sample_path, tmp_path):
    document = open_document(generate_report(sample_path, tmp_path / "报告.docx").output)
    run = keyed(document, "s1").runs[0]._r
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    insert = run.makeelement(f"{w}ins", {f"{w}id": "1", f"{w}author": "编辑"})
    run.addprevious(insert)
    insert.append(run)
    document.save(str(tmp_path / "修订.docx"))
    response = client.post("/api/absorb", files=_files((tmp_path / "修订.docx").read_bytes(),
                                                       sample_path.read_bytes()))
    assert response.status_code == 422 and "未处理的修订" in response.json()["error"]
    assert "wb-" not in response.json()["error"]
