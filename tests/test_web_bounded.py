"""Bounded requests: a client that sends half a request, dribbles its headers or stalls its upload is cut off;
a second file part in a one-workbook request is refused at its header, before anything is stored."""

from __future__ import annotations

import socket
import threading
import time

import pytest

pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn")

from test_web import client_for, leftovers  # noqa: E402

from genreport.commands.serve import server_config  # noqa: E402
from genreport.web import Settings, create_app  # noqa: E402
from genreport.web.transport import BoundedH11Protocol, bounded  # noqa: E402


@pytest.fixture(scope="module")
def server():
    """The page served by uvicorn with limits of a second (header, pause) and three (whole body)."""
    app = create_app(Settings(workers=1))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, http=bounded(header=1.0, idle=1.0, body=3.0),
                            log_level="critical", lifespan="on")
    running = uvicorn.Server(config)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not running.started:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        yield port
        running.should_exit = True
        thread.join(30)


def _closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Return after how many seconds the server closed the connection (None: still open after seconds)."""
    start = time.monotonic()
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - start


def test_a_connection_that_sends_nothing_is_closed(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        assert _closed_within(sock, 10) is not None


def test_half_a_request_is_cut_off(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert _closed_within(sock, 10) is not None


def test_headers_dribbled_byte_by_byte_are_cut_off_at_the_deadline(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        start = time.monotonic()
        try:
            for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200:
                sock.sendall(bytes([byte]))
                time.sleep(0.1)  # each byte well inside the pause limit: only the deadline stops it
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert _closed_within(sock, 10) is not None and time.monotonic() - start < 10


def test_a_stalled_upload_is_cut_off(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Genreport: 1\r\n"
                     b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n")
        answer = b""
        sock.settimeout(10)
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
        assert b"200 OK" not in answer
        assert _closed_within(sock, 1) is not None  # closed, not waiting any longer


def test_a_normal_request_is_answered_and_kept_alive(server):
    httpx = pytest.importorskip("httpx")
    with httpx.Client(base_url=f"http://127.0.0.1:{server}") as client:
        assert client.get("/").status_code == 200
        time.sleep(0.3)
        assert client.get("/static/app.js").status_code == 200


def test_serve_uses_the_bounded_protocol():
    config = server_config(create_app(Settings(workers=1)))
    assert issubclass(config.http, BoundedH11Protocol)
    assert config.http.header_seconds <= 30 and config.http.idle_seconds <= 120


def test_a_second_file_in_a_one_workbook_request_is_refused_before_it_is_stored(sample_path, monkeypatch):
    import genreport.web.app as web_app

    written = []
    saving = web_app.save_uploads

    async def watched(files, folder, limits):
        written.extend(files)
        return await saving(files, folder, limits)

    monkeypatch.setattr(web_app, "save_uploads", watched)
    data = sample_path.read_bytes()
    with client_for(Settings(workers=1)) as client:
        files = [("file", ("a.xlsx", data)), ("file", ("b.xlsx", data)), ("file", ("c.xlsx", data))]
        response = client.post("/api/check", files=files)
        assert response.status_code == 413 and "一次只能处理一个工作簿" in response.json()["error"]
        assert written == [] and leftovers(client) == []
        assert client.post("/api/check", files=[("file", ("a.xlsx", data))]).status_code == 200
        assert len(written) == 1
