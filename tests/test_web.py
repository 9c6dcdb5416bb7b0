"""genreport serve through Starlette's test client: every step of the page, the limits and the safety rules."""

from __future__ import annotations

import io
import os
import shutil
import signal
import tempfile
import threading
import time
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from docx import Document  # noqa: E402

with warnings.catch_warnings():  # Starlette ≥ 1.x would rather have httpx2; httpx still works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from genreport.api import check_workbook  # noqa: E402
from genreport.errors import GenreportError  # noqa: E402
from genreport.web import Limits, Settings, create_app, tasks  # noqa: E402
from genreport.web.security import content_disposition  # noqa: E402
from genreport.web.uploads import member_name  # noqa: E402
from genreport.web.runner import Runner  # noqa: E402
from genreport.web.worker import CRASHED  # noqa: E402

SAMPLE_DEPT = "新乡市行政审批和政务信息管理局"
PAGE = {"X-Genreport": "1"}


def client_for(settings: Settings | None = None, **options) -> TestClient:
    app = create_app(settings or Settings(workers=2, timeout=120))
    return TestClient(app, base_url="http://127.0.0.1", headers=PAGE, **options)


@pytest.fixture(scope="module")
def client():
    with client_for() as c:
        yield c


@pytest.fixture(scope="module")
def sample_bytes(sample_path) -> bytes:
    return sample_path.read_bytes()


def site(c: TestClient):
    return c.app.site


def leftovers(c: TestClient) -> list[Path]:
    """Return the request folders still on disk (batches waiting for their download aside)."""
    return sorted(set(site(c).root.iterdir()) - site(c).jobs.folders())


def download_name(response) -> str:
    header = response.headers["content-disposition"]
    assert header.startswith("attachment;")
    return unquote(header.split("filename*=UTF-8''", 1)[1])


def saved(response, tmp_path: Path, name: str = "download.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(response.content)
    return path


def named(dept):
    def mutate(data):
        data["forms"]["profile"]["dept_name"] = dept

    return mutate


def inject_errors(data):
    """An error in 公开05表 (D8), one in 政府采购 (B3), a warning in 公开06表 (as in test_check_cli)."""
    next(r for r in data["tables"]["t05"]["rows"] if r["code"] == "201")["basic"] = Decimal("985.28")
    next(r for r in data["tables"]["t06"]["rows"] if r["code"] == "30231")["amount"] = Decimal("3.00")
    data["forms"]["procurement"]["goods"] = Decimal("5.00")


@pytest.fixture
def broken(make_workbook) -> Path:
    return make_workbook(inject_errors, name="有错误的工作簿.xlsx")


def upload(path_or_bytes, name: str) -> dict:
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    return {"file": (name, data, "application/octet-stream")}


# ---- the page --------------------------------------------------------------------------------------


def test_page_is_chinese_and_needs_no_internet(client):
    page = client.get("/")
    assert page.status_code == 200
    for word in ("开始", "检查", "生成", "批量", "下载空白工作簿"):
        assert word in page.text
    assert "http://" not in page.text and "https://" not in page.text and "//cdn" not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("/static/app.js", "/static/style.css"):
        assert asset in page.text
        fetched = client.get(asset)
        assert fetched.status_code == 200 and "http" not in fetched.text.replace("X-Genreport", "")


# ---- 开始 -------------------------------------------------------------------------------------------


def test_blank_workbook_for_each_profile(client, tmp_path):
    for profile in site(client).profiles:
        response = client.post("/api/blank", data={"profile": profile})
        assert response.status_code == 200, response.text
        assert download_name(response).startswith("空白工作簿（") and download_name(response).endswith(".xlsx")
        _, report = check_workbook(saved(response, tmp_path, f"{profile}.xlsx"))
        assert report.profile == profile


def test_unknown_profile_is_refused_before_any_file_is_read(client):
    response = client.post("/api/blank", data={"profile": "../../profiles/central"})
    assert response.status_code == 400
    assert response.json() == {"error": "请从列表中选择一种报告样式。"}


def test_next_year_workbook_from_last_years(client, sample_bytes, tmp_path):
    response = client.post("/api/next-year", files=upload(sample_bytes, "2024年部门决算.xlsx"))
    assert response.status_code == 200, response.text
    assert download_name(response) == "2024年部门决算（下一年度）.xlsx"
    workbook, _ = check_workbook(saved(response, tmp_path, "next.xlsx"))
    assert (workbook.dept_name, workbook.year) == (SAMPLE_DEPT, 2025)


# ---- 检查 -------------------------------------------------------------------------------------------


def test_check_of_the_sample(client, sample_bytes):
    response = client.post("/api/check", files=upload(sample_bytes, "样例.xlsx"))
    assert response.status_code == 200
    assert 'data-errors="0"' in response.text
    assert "样例.xlsx：错误 0 处，警告 0 处" in response.text and "可以生成报告" in response.text


def test_check_of_a_broken_workbook_lists_cells_errors_first(client, broken):
    page = client.post("/api/check", files=upload(broken, broken.name)).text
    errors = len(check_workbook(broken)[1].errors)
    assert errors >= 2 and f'data-errors="{errors}"' in page
    assert "公开05表!D8" in page and "政府采购!B3" in page and "公开06表!F30" in page
    assert "985.28 ≠ 下级科目合计 982.28（差 3.00 万元）" in page
    assert page.index("【错误】公开05表") < page.index("【错误】政府采购") < page.index("【警告】公开06表")


def test_unreadable_file_is_the_clis_sentence_with_the_users_name_and_the_pages_steps(client, tmp_path):
    from genreport.web.steps import for_page

    response = client.post("/api/check", files=upload(b"just some text", "报表.xlsx"))
    assert response.status_code == 422
    message = response.json()["error"]
    (tmp_path / "报表.xlsx").write_bytes(b"just some text")
    with pytest.raises(GenreportError) as cli:
        check_workbook(tmp_path / "报表.xlsx")
    assert "genreport init" in str(cli.value)
    assert message == for_page(str(cli.value)) and message.startswith("报表.xlsx ")
    assert "“① 开始”中下载" in message and "genreport" not in message
    assert "wb-" not in message and str(site(client).root) not in message and "Traceback" not in message


def check_once_the_upload_is_gone(source: str, display: str) -> dict:
    """The page's check of an upload that vanished before it was read: the guard names it by its full path."""
    Path(source).unlink()
    return REAL_CHECK(source, display)


REAL_CHECK = tasks.check


def test_a_failure_naming_the_uploads_full_path_shows_the_users_name(client, sample_bytes, monkeypatch, tmp_path):
    """The sentence carries the path as a field: the page names it as uploaded, the command line by its real path."""
    from _hostile import run_cli

    monkeypatch.setattr(tasks, "check", check_once_the_upload_is_gone)
    response = client.post("/api/check", files=upload(sample_bytes, "报表.xlsx"))
    assert response.status_code == 422
    assert response.json()["error"] == "找不到文件“报表.xlsx”，请检查文件名和所在文件夹。"
    server = [str(site(client).root), str(site(client).root.parent), tempfile.gettempdir(), "/tmp/", "wb-"]
    assert not [part for part in server if part in response.text]
    cli = run_cli("check", tmp_path / "报表.xlsx")
    assert cli.code == 2 and f"错误：找不到文件“{tmp_path / '报表.xlsx'}”，请检查文件名和所在文件夹。" in cli.err


def test_a_corrupt_workbook_is_named_as_uploaded(client, sample_bytes, tmp_path):
    damaged = sample_bytes[: len(sample_bytes) // 2]  # a copy or download cut short
    response = client.post("/api/check", files=upload(damaged, "各部门 2025.xlsx"))
    message = response.json()["error"]
    assert response.status_code == 422 and message.startswith("各部门 2025.xlsx ") and "损坏" in message
    server = [str(site(client).root), tempfile.gettempdir(), "/tmp/", "wb-"]
    assert not [part for part in server if part in response.text]
    (tmp_path / "各部门 2025.xlsx").write_bytes(damaged)
    with pytest.raises(GenreportError) as cli:
        check_workbook(tmp_path / "各部门 2025.xlsx")
    assert message == str(cli.value)


def test_libreoffice_notes_lose_the_servers_folders():
    """LibreOffice's notes may quote its own error naming the copy in its run folder: they carry no fields."""
    from genreport.private import root_path
    from genreport.web.uploads import scrub

    copy = root_path() / "office-1-ab" / "job1" / "report.docx"
    note = f"LibreOffice 未能处理文档（IOException: {copy.as_uri()}，{copy}）。PDF 未生成。"
    shown = scrub(note, [root_path()])
    assert str(root_path()) not in shown and "/tmp/" not in shown and "office-1-ab/job1/report.docx" in shown


@pytest.mark.parametrize("sentence", [
    "报表.csv 是 CSV/文本文件，只能保存一张表，请使用 genreport init 生成的 .xlsx 标准工作簿填写。",
    "请从 genreport init 生成的空白工作簿中把这张表复制过来（工作表名称不能改）。",
    "报告样式填的是“a”，但这份工作簿的工作表是“b”的版式。请把 封面概况!B3 改为“b”；如果确实要用“a”，请运行 genreport init "
    "--profile central -o 新工作簿.xlsx 生成该样式的空白工作簿，再把数据填进去。",
    "段落编号“x”在模板中不存在，该行文字调整不会生效。全部段落编号及每段的开头文字可用 genreport template keys 查看。",
])
def test_web_sentences_point_to_the_pages_steps_never_to_a_command(sentence):
    from genreport.web.steps import for_page

    shown = for_page(sentence)
    assert "genreport" not in shown and "--" not in shown and shown.endswith("。")


def test_no_web_message_sends_the_user_to_the_command_line():
    web = Path(create_app.__code__.co_filename).parent
    for path in [*web.glob("*.py"), *web.glob("templates/*.html"), *web.glob("static/*.js")]:
        text = path.read_text(encoding="utf-8")
        assert "命令行" not in text and "--debug" not in text and "Failed to fetch" not in text, path.name


def test_names_and_messages_are_escaped_on_the_page(client, sample_bytes):
    page = client.post("/api/check", files=upload(sample_bytes, "<img src=x onerror=alert(1)>.xlsx")).text
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;.xlsx" in page


def test_annotated_copy(client, broken, tmp_path):
    import openpyxl

    response = client.post("/api/annotate", files=upload(broken, broken.name))
    assert response.status_code == 200, response.text
    assert download_name(response) == "有错误的工作簿.标注.xlsx"
    book = openpyxl.load_workbook(saved(response, tmp_path, "marked.xlsx"))
    cell = book["公开05表"]["D8"]
    assert cell.fill.fgColor.rgb.endswith("FF9999") and "985.28" in cell.comment.text


# ---- 生成 -------------------------------------------------------------------------------------------


def test_generate_the_document(client, sample_bytes, tmp_path):
    response = client.post("/api/generate", files=upload(sample_bytes, "样例.xlsx"), data={"format": "docx"})
    assert response.status_code == 200, response.text
    assert download_name(response) == f"{SAMPLE_DEPT}2024年度部门决算.docx"
    text = "\n".join(p.text for p in Document(str(saved(response, tmp_path, "r.docx"))).paragraphs)
    assert SAMPLE_DEPT in text
    assert leftovers(client) == [], "the request's folder is deleted after the response"


def test_generate_refuses_a_workbook_with_errors_unless_confirmed(client, broken):
    refused = client.post("/api/generate", files=upload(broken, broken.name), data={"format": "docx"})
    assert refused.status_code == 422
    errors = len(check_workbook(broken)[1].errors)
    assert refused.json()["error"].startswith(f"工作簿有 {errors} 处错误，未生成文档")
    forced = client.post("/api/generate", files=upload(broken, broken.name), data={"format": "docx", "force": "1"})
    assert forced.status_code == 200 and forced.content.startswith(b"PK")


def test_pdf_without_libreoffice_says_so(sample_bytes):
    with client_for() as c:
        site(c).pdf = False
        response = c.post("/api/generate", files=upload(sample_bytes, "样例.xlsx"), data={"format": "pdf"})
        assert response.status_code == 409 and "没有安装 LibreOffice" in response.json()["error"]
        assert 'data-available=""' in c.get("/").text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_when_libreoffice_is_installed(client, sample_bytes):
    response = client.post("/api/generate", files=upload(sample_bytes, "样例.xlsx"), data={"format": "pdf"})
    assert response.status_code == 200, response.text
    assert download_name(response) == f"{SAMPLE_DEPT}2024年度部门决算.pdf"
    assert response.content.startswith(b"%PDF")


# ---- 批量 -------------------------------------------------------------------------------------------


def run_batch_job(c: TestClient, files: list, **form) -> dict:
    started = c.post("/api/batch", files=[("files", f) for f in files], data=form)
    assert started.status_code == 200, started.text
    job = started.json()["job"]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        status = c.get(f"/api/batch/{job}").json()
        if status["state"] != "running":
            return {**status, "job": job}
        time.sleep(0.3)
    raise AssertionError("the batch did not finish in time")


def test_batch_zip_with_a_corrupt_member(client, make_workbook, tmp_path):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.write(make_workbook(named("甲局"), name="甲.xlsx"), "各部门/甲.xlsx")
        z.write(make_workbook(named("乙局"), name="乙.xlsx"), "各部门/乙.xlsx")
        z.writestr("各部门/坏.xlsx", b"PK\x03\x04 damaged")
        z.writestr("各部门/说明.txt", "不是工作簿")
    status = run_batch_job(client, [("各部门.zip", archive.getvalue(), "application/zip")])
    assert (status["state"], status["done"], status["total"]) == ("done", 3, 3)
    page = status["html"]
    assert "各部门/坏.xlsx" in page and "无法处理" in page and "坏.xlsx 不完整或已损坏" in page
    assert "wb-" not in page and str(site(client).root) not in page
    response = client.get(f"/api/batch/{status['job']}/download")
    assert response.status_code == 200 and download_name(response) == "批量生成结果.zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as result:
        names = set(result.namelist())
        assert {"甲局2024年度部门决算.docx", "乙局2024年度部门决算.docx", "汇总.xlsx"} <= names
        summary = result.read("汇总.json").decode("utf-8")
    assert "各部门/坏.xlsx" in summary and "wb-" not in summary and str(site(client).root) not in summary
    again = client.get(f"/api/batch/{status['job']}/download")  # a second click works until the results expire
    assert again.status_code == 200 and again.content == response.content
    assert "可以多次下载，保留到" in page
    site(client).jobs.drop(status["job"])
    assert client.get(f"/api/batch/{status['job']}").status_code == 404
    assert leftovers(client) == []


def test_batch_of_several_workbooks_counts_problems(client, make_workbook, broken):
    files = [("甲.xlsx", make_workbook(named("甲局"), name="甲.xlsx").read_bytes(), "application/octet-stream"),
             (broken.name, broken.read_bytes(), "application/octet-stream")]
    status = run_batch_job(client, files)
    assert (status["done"], status["problems"]) == (2, 1)
    assert "有错未生成" in status["html"] and "公开05表!D" in status["html"]


def test_zip_member_names_from_chinese_windows_are_read_as_gbk():
    info = zipfile.ZipInfo("卫生局/工作簿.xlsx".encode("gbk").decode("cp437"))
    assert member_name(info) == "卫生局/工作簿.xlsx"


# ---- safety -----------------------------------------------------------------------------------------


def test_token_is_required_when_set(tmp_path):
    with client_for(Settings(token="s3cret-token", workers=1)) as c:
        assert c.get("/").status_code == 401
        assert c.get("/?token=wrong").status_code == 401
        assert c.post("/api/blank", data={"profile": "central"}).status_code == 401
        assert "访问令牌" in c.get("/static/app.js").text
        first = c.get("/?token=s3cret-token", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/" and "token" not in first.headers["location"]
        assert "httponly" in first.headers["set-cookie"].lower() and "samesite=strict" in first.headers["set-cookie"].lower()
        assert c.get("/").status_code == 200  # the cookie from the redirect
        assert c.post("/api/blank", data={"profile": "central"}).status_code == 200


def test_serve_needs_a_token_off_loopback():
    from genreport.commands.serve import access_token, is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert access_token("127.0.0.1", None) is None
    assert len(access_token("0.0.0.0", None)) >= 20 and access_token("0.0.0.0", "given") == "given"


def test_without_a_token_only_this_machines_names_are_served():
    with TestClient(create_app(Settings(workers=1)), base_url="http://rebound.example") as c:
        assert c.get("/").status_code == 400


def test_posts_from_other_pages_are_refused(client):
    response = client.post("/api/blank", data={"profile": "central"}, headers={"X-Genreport": ""})
    assert response.status_code == 403


def test_size_and_count_limits(make_workbook):
    limits = Limits(request_bytes=1024 * 1024, file_bytes=300 * 1024, files=2)
    with client_for(Settings(limits=limits, workers=1)) as c:
        big = c.post("/api/check", files=upload(b"x" * (1024 * 1024 + 10), "大.xlsx"))
        assert big.status_code == 413 and "1 MB" in big.json()["error"]
        chunked = c.post("/api/check", content=iter([b"x" * 400_000] * 3),
                         headers={"content-type": "multipart/form-data; boundary=b", **PAGE})
        assert chunked.status_code == 413, "a body without Content-Length is counted while it is read"
        one = c.post("/api/check", files=upload(b"x" * (400 * 1024), "偏大.xlsx"))
        assert one.status_code == 413 and one.json()["error"].startswith("“偏大.xlsx”超过 300 KB 的上限")
        small = [("files", (f"{n}.xlsx", b"x", "application/octet-stream")) for n in range(3)]
        assert "一次最多处理 2 个" in c.post("/api/batch", files=small).json()["error"]
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("零.xlsx", b"\0" * (2 * 1024 * 1024))
        refused = c.post("/api/batch", files=[("files", ("零.zip", bomb.getvalue(), "application/zip"))])
        assert refused.status_code == 413 and "零.xlsx" in refused.json()["error"]
        assert leftovers(c) == []


def test_hostile_file_name_is_never_a_path(client, sample_bytes, tmp_path):
    root = site(client).root
    for hostile in ("../../x.xlsx", "..\\..\\x.xlsx", "/etc/x.xlsx", "con.xlsx", "a\x00b.xlsx"):
        response = client.post("/api/annotate", files=upload(sample_bytes, hostile))
        assert response.status_code == 200, (hostile, response.text)
        assert "/" not in download_name(response) and "\\" not in download_name(response)
    assert not (root.parent / "x.xlsx").exists() and not root.parent.parent.joinpath("x.xlsx").exists()
    assert leftovers(client) == []


def test_two_concurrent_uploads_with_the_same_name_never_see_each_other(client, make_workbook, tmp_path):
    depts = ["甲局", "乙局", "丙局"]
    books = [make_workbook(named(d), name=f"{d}/工作簿.xlsx").read_bytes() for d in depts]
    barrier, results = threading.Barrier(len(depts)), {}

    def post(index: int) -> None:
        barrier.wait(timeout=30)
        results[index] = client.post("/api/generate", files=upload(books[index], "工作簿.xlsx"),
                                     data={"format": "docx"})

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(depts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    for index, dept in enumerate(depts):
        response = results[index]
        assert response.status_code == 200 and download_name(response) == f"{dept}2024年度部门决算.docx"
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        assert dept in text and not any(other in text for other in depts if other != dept)
    assert leftovers(client) == []


def test_download_names_are_rfc5987_encoded():
    header = content_disposition("新乡市2024年度部门决算.docx")
    assert header == ("attachment; filename=\"download.docx\"; filename*=UTF-8''"
                      "%E6%96%B0%E4%B9%A1%E5%B8%822024%E5%B9%B4%E5%BA%A6%E9%83%A8%E9%97%A8%E5%86%B3%E7%AE%97.docx")
    assert "\r" not in content_disposition("a\r\nSet-Cookie: x.xlsx") and "\n" not in content_disposition("a\nb.xlsx")
    assert content_disposition("report.docx").startswith('attachment; filename="report.docx"')


# ---- failures never show a traceback or a server path ----------------------------------------------


def crash(*args):
    os.kill(os.getpid(), signal.SIGKILL)


def blow_up(*args):
    raise ValueError("/srv/secret/path")


def sleep_long(*args):
    time.sleep(60)
    return {}


def test_worker_crash_is_one_sentence_and_the_server_goes_on(client, sample_bytes, monkeypatch):
    monkeypatch.setattr(tasks, "check", crash)
    response = client.post("/api/check", files=upload(sample_bytes, "样例.xlsx"))
    assert response.status_code == 422 and response.json() == {"error": CRASHED}
    monkeypatch.undo()
    assert client.post("/api/check", files=upload(sample_bytes, "样例.xlsx")).status_code == 200


def test_internal_errors_show_no_traceback_or_path(client, sample_bytes, monkeypatch):
    monkeypatch.setattr(tasks, "check", blow_up)
    response = client.post("/api/check", files=upload(sample_bytes, "样例.xlsx"))
    assert response.status_code == 422
    assert response.json()["error"].startswith("程序内部出错（ValueError）") and "/srv" not in response.text
    monkeypatch.undo()
    with client_for(raise_server_exceptions=False) as c:
        monkeypatch.setattr("genreport.web.app._groups", blow_up)
        failed = c.post("/api/check", files=upload(sample_bytes, "样例.xlsx"))
        assert failed.status_code == 500 and "Traceback" not in failed.text and "/srv" not in failed.text
        assert failed.json()["error"].startswith("程序内部出错（ValueError）")
        assert c.get("/nothing-here").status_code == 404 and "没有这个页面" in c.get("/nothing-here").text


def test_slow_work_is_stopped_after_the_time_limit(sample_bytes, monkeypatch):
    with client_for(Settings(workers=1, timeout=2)) as c:
        monkeypatch.setattr(tasks, "check", sleep_long)
        started = time.monotonic()
        response = c.post("/api/check", files=upload(sample_bytes, "样例.xlsx"))
        assert response.status_code == 422 and "超过 2 秒" in response.json()["error"]
        assert time.monotonic() - started < 30
        assert c.get("/").status_code == 200


def pid_task() -> dict:
    return {"pid": os.getpid()}


def test_runner_survives_a_crash_and_leaves_no_process_behind():
    runner = Runner(slots=1, timeout=20)
    assert runner.run(crash, ()) == {"failure": CRASHED}
    pid = runner.run(pid_task, ())["pid"]
    assert pid != os.getpid()
    runner.stop_all()  # the warm worker that ran pid_task waits for the next task until the server stops
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_an_exported_profile_folder_is_offered_and_its_blank_workbook_finds_it_again(tmp_path):
    from genreport.api import export_template

    folder = tmp_path / "示例市样式"
    export_template(folder, "shanghai-district")
    with client_for(Settings(workers=1, timeout=120, folders=(str(folder.resolve()),))) as c:
        page = c.get("/").text
        key = str(folder.resolve())
        assert f'value="{key}"' in page
        response = c.post("/api/blank", data={"profile": key})
        assert response.status_code == 200
        workbook, _ = check_workbook(saved(response, tmp_path, "空白.xlsx"))
        assert workbook.spec.id == "shanghai"
        assert workbook.value("profile", "profile") == key


def test_an_edited_profile_changes_the_next_document_while_serve_runs(tmp_path):
    """A bureau edits its profile's 名词解释 while `serve` runs: the next document says the new text (no restart)."""
    from genreport.api import export_template, init_workbook

    folder = (tmp_path / "本地样式").resolve()
    export_template(folder, "central")
    glossary = folder / "workbook_specs" / "glossary" / "central.yaml"
    blank = init_workbook(tmp_path / "空白.xlsx", str(folder))
    new_text = "单位从同级政府财政部门取得的财政预算资金（本地样式修改后的说明）。"

    def generated() -> str:
        response = c.post("/api/generate", files=upload(blank, blank.name), data={"format": "docx", "force": "1"})
        assert response.status_code == 200, response.text
        return "\n".join(p.text for p in Document(str(saved(response, tmp_path, "报告.docx"))).paragraphs)

    with client_for(Settings(workers=1, timeout=120, folders=(str(folder),))) as c:
        before = generated()
        text = glossary.read_text(encoding="utf-8")
        glossary.write_text(text.replace("单位从同级政府财政部门取得的财政预算资金。", new_text), encoding="utf-8")
        after = generated()
    assert "单位从同级政府财政部门取得的财政预算资金。" in before and new_text not in before
    assert new_text in after
