"""genreport serve as a user runs it: the real server on 127.0.0.1, and a real browser (Debian's chromium) using it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")

from docx import Document  # noqa: E402

from test_web import SAMPLE_DEPT, inject_errors  # noqa: E402

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
#: Set GENREPORT_SCREENSHOT=docs/serve.png to keep the browser's screenshot of the check result (for the README).
SCREENSHOT = os.environ.get("GENREPORT_SCREENSHOT")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`genreport serve` in a subprocess on a free loopback port; always stopped by stop()."""

    def __init__(self, folder: Path, *options: str) -> None:
        self.port = free_port()
        self.log = folder / "serve.log"
        env = {k: v for k, v in os.environ.items() if k != "GENREPORT_TEMPLATE"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "genreport", "serve", "--host", "127.0.0.1", "--port", str(self.port), *options],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=folder, env=env)
        self.url = f"http://127.0.0.1:{self.port}/"

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("genreport serve exited: " + self.log.read_text(encoding="utf-8"))
            try:
                httpx.get(self.url, timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError("genreport serve did not answer in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path)
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def test_serve_prints_its_address_and_needs_the_token_it_was_given(tmp_path):
    running = Server(tmp_path, "--token", "Token-for-Test-2026")
    try:
        running.wait_ready()
        assert httpx.get(running.url, timeout=10).status_code == 401
        with httpx.Client(base_url=running.url, timeout=30) as client:
            page = client.get("/?token=Token-for-Test-2026", follow_redirects=True)
            assert page.status_code == 200 and "部门决算公开文档生成" in page.text
            assert client.get("/static/app.js").status_code == 200  # the cookie set by the first visit
    finally:
        running.stop()
    shown = running.log.read_text(encoding="utf-8")
    assert f"genreport 网页已启动：{running.url}?token=Token-for-Test-2026" in shown
    assert "Traceback" not in shown


def test_port_in_use_is_one_sentence(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = subprocess.run([sys.executable, "-m", "genreport", "serve", "--port", port],
                              capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "端口可能已被占用" in done.stderr and "Traceback" not in done.stderr


# ---- the browser -----------------------------------------------------------------------------------


@pytest.fixture
def browser(tmp_path):
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        pytest.skip("Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                 "--lang=zh-CN", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.set_page_load_timeout(60)
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        driver.downloads = downloads
        yield driver
    finally:
        driver.quit()


def wait_for(condition, seconds: float = 90, what: str = "the page"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_an_accountant_checks_the_sample_and_downloads_the_document(server, browser, sample_path, make_workbook,
                                                                     tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(server.url)
    assert "部门决算" in browser.title
    choose = browser.find_element(By.ID, "check-file")

    broken = make_workbook(inject_errors, name="有错误的工作簿.xlsx")
    choose.send_keys(str(broken))
    wait_for(lambda: "请修改后再生成报告" in browser.find_element(By.ID, "check-result").text, what="the check of errors")
    assert "公开05表!D" in browser.find_element(By.ID, "check-result").text
    shot = Path(SCREENSHOT) if SCREENSHOT else tmp_path / "serve.png"
    assert browser.save_screenshot(str(shot)) and shot.read_bytes().startswith(b"\x89PNG")

    choose.send_keys(str(sample_path))
    summary = wait_for(lambda: [e for e in browser.find_elements(By.CSS_SELECTOR, "#check-result .summary")
                                if "workbook.xlsx" in e.text], what="the check summary")[0]
    assert "错误 0 处" in summary.text and "可以生成报告" in summary.text

    browser.find_element(By.CSS_SELECTOR, "button[data-do='to-generate']").click()
    button = browser.find_element(By.ID, "gen-docx")
    assert button.is_displayed() and button.is_enabled()
    button.click()
    document = wait_for(lambda: [p for p in browser.downloads.glob("*.docx")], what="the downloaded .docx")[0]
    assert document.name == f"{SAMPLE_DEPT}2024年度部门决算.docx"
    wait_for(lambda: not list(browser.downloads.glob("*.crdownload")), what="the download to finish")
    text = "\n".join(p.text for p in Document(str(document)).paragraphs)
    assert SAMPLE_DEPT in text
    assert "已下载" in browser.find_element(By.CSS_SELECTOR, "#generate .status").text
    browser.find_element(By.CSS_SELECTOR, "#generate input[type=file]").send_keys(str(broken))  # another workbook
    wait_for(lambda: "请修改后再生成报告" in browser.find_element(By.ID, "check-result").get_attribute("textContent"),
             what="the new check (its result is on the hidden ② 检查 tab)")
    assert browser.find_element(By.CSS_SELECTOR, "#generate .status").get_attribute("textContent") == ""  # not 已下载
    assert "有错误的工作簿.xlsx" in browser.find_element(By.ID, "gen-file").get_attribute("textContent")


def _status(browser, panel: str) -> str:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.CSS_SELECTOR, f"#{panel} .status").text


def test_a_stopped_server_is_explained_in_chinese_never_failed_to_fetch(server, browser, sample_path):
    from selenium.webdriver.common.by import By

    browser.get(server.url)
    choose = browser.find_element(By.ID, "check-file")
    choose.send_keys(str(sample_path))
    wait_for(lambda: "可以生成报告" in browser.find_element(By.ID, "check-result").text, what="the check")
    server.stop()
    choose.send_keys(str(sample_path))  # the same step again, now with nobody answering
    shown = wait_for(lambda: "无法连接 genreport" in _status(browser, "check") and _status(browser, "check"),
                     what="the Chinese explanation")
    assert "再试一次" in shown
    browser.find_element(By.CSS_SELECTOR, "button[data-tab='start']").click()
    browser.find_element(By.CSS_SELECTOR, "#blank-form button").click()
    wait_for(lambda: "无法连接 genreport" in _status(browser, "start"), what="the Chinese explanation on ① 开始")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Failed to fetch" not in body and "NetworkError" not in body and "TypeError" not in body


def test_a_workbook_changed_after_its_check_is_not_generated_unchecked(server, browser, sample_path, tmp_path):
    from selenium.webdriver.common.by import By

    mine = tmp_path / "本单位.xlsx"
    shutil.copyfile(sample_path, mine)
    browser.get(server.url)
    browser.find_element(By.ID, "check-file").send_keys(str(mine))
    wait_for(lambda: "可以生成报告" in browser.find_element(By.ID, "check-result").text, what="the check")
    browser.find_element(By.CSS_SELECTOR, "button[data-do='to-generate']").click()
    assert "检查通过" in browser.find_element(By.ID, "gen-file").text
    time.sleep(1.1)  # a later modification time
    mine.write_bytes(sample_path.read_bytes() + b"")  # saved again in Excel: same name, new file
    os.utime(mine)
    browser.find_element(By.ID, "gen-docx").click()
    shown = wait_for(lambda: (text := _status(browser, "generate")) and "正在处理" not in text and text,
                     what="the answer to 生成")
    assert "修改过" in shown and ("重新检查" in shown or "重新选择" in shown), shown
    assert "Failed to fetch" not in browser.find_element(By.TAG_NAME, "body").text
