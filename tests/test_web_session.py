"""A real session: the cookie is this instance's (its name has the port) and carries a value derived from the token,
never the token; weak tokens are refused, a token can come from a file or the environment, guessing is slowed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytest.importorskip("httpx")

from test_web import TestClient  # noqa: E402  (imported there without Starlette's httpx2 warning)

from genreport.web import Settings, create_app  # noqa: E402
from genreport.web.security import FREE_ATTEMPTS, weak_token  # noqa: E402

TOKEN = "Bureau-Token-2026-xyz"


def _client(port: int = 8765) -> TestClient:
    return TestClient(create_app(Settings(token=TOKEN, workers=1)), base_url=f"http://127.0.0.1:{port}",
                      headers={"X-Genreport": "1"})


def test_the_cookie_is_named_after_the_port_and_never_holds_the_token():
    with _client(8123) as client:
        first = client.get(f"/?token={TOKEN}", follow_redirects=False)
        cookie = first.headers["set-cookie"]
        assert first.status_code == 303 and cookie.startswith("genreport_8123=")
        value = cookie.split(";")[0].split("=", 1)[1]
        assert TOKEN not in cookie and len(value) == 64
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
        assert client.get("/").status_code == 200  # the session works


def test_a_session_of_one_instance_does_not_open_another_on_another_port():
    with _client(8123) as first:
        first.get(f"/?token={TOKEN}")
        value = first.cookies["genreport_8123"]
    with _client(8124) as second:
        second.cookies.set("genreport_8124", value)
        assert second.get("/").status_code == 401
        second.cookies.set("genreport_8124", TOKEN)
        assert second.get("/").status_code == 401  # the token is no session


@pytest.mark.parametrize("token", ["12345678", "password", "passwordpassword", "aaaaaaaaaaaaaaaa1A", "Abc-12",
                                   "tóken-Ünicode-2026", "token with spaces 2026"])
def test_weak_or_odd_tokens_are_refused(token):
    assert weak_token(token) is not None


@pytest.mark.parametrize("token", [TOKEN, "k3J9-pQ2x_Lm8vT0", "finance-bureau-2026-7f3a"])
def test_strong_tokens_are_accepted(token):
    assert weak_token(token) is None


def _serve(*options: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `genreport serve` with options that make it refuse to start (it must not start)."""
    return subprocess.run([sys.executable, "-m", "genreport", "serve", "--port", "0", *options], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})


def test_serve_refuses_a_weak_token_in_one_sentence():
    done = _serve("--token", "12345678")
    assert done.returncode == 2 and "访问令牌太容易被猜到" in done.stderr and "Traceback" not in done.stderr
    done = _serve(env={"GENREPORT_TOKEN": "password"})
    assert done.returncode == 2 and "访问令牌太容易被猜到" in done.stderr


def test_a_token_file_others_can_read_is_refused(tmp_path):
    path = tmp_path / "令牌.txt"
    path.write_text("12345678\n", encoding="utf-8")
    path.chmod(0o644)
    done = _serve("--token-file", str(path))
    assert done.returncode == 2 and "chmod 600" in done.stderr
    path.chmod(0o600)
    done = _serve("--token-file", str(path))
    assert done.returncode == 2 and "访问令牌太容易被猜到" in done.stderr  # read, then judged


def test_the_token_is_read_from_a_file_or_the_environment(tmp_path):
    from test_web_server import Server

    path = tmp_path / "token.txt"
    path.write_text(TOKEN + "\n", encoding="utf-8")
    path.chmod(0o600)
    httpx = pytest.importorskip("httpx")
    for options, env in ((("--token-file", str(path)), {}), ((), {"GENREPORT_TOKEN": TOKEN})):
        os.environ.update(env)
        try:
            running = Server(tmp_path, *options)
        finally:
            for name in env:
                os.environ.pop(name)
        try:
            running.wait_ready()
            assert httpx.get(running.url, timeout=10).status_code == 401
            assert httpx.get(f"{running.url}?token={TOKEN}", timeout=10, follow_redirects=True).status_code == 200
            assert TOKEN not in " ".join(_cmdline(running.process.pid))  # not visible in ps
        finally:
            running.stop()


def _cmdline(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as stream:
            return stream.read().decode(errors="replace").split("\0")
    except OSError:
        return []


def test_wrong_guesses_are_slowed_per_client():
    with _client() as client:
        for _ in range(FREE_ATTEMPTS):
            assert client.get("/?token=wrong-guess").status_code == 401
        locked = client.get(f"/?token={TOKEN}")  # even the right token must now wait
        assert locked.status_code == 429 and "秒后再" in locked.text
        app = client.app
    with TestClient(app, base_url="http://127.0.0.1:8765", client=("192.0.2.7", 50000)) as other:
        assert other.get(f"/?token={TOKEN}").status_code == 200  # another client is not held up


def test_a_visit_without_a_token_or_with_a_stale_session_is_not_counted_as_a_guess():
    with _client() as client:
        for _ in range(FREE_ATTEMPTS * 2):
            assert client.get("/").status_code == 401
        client.cookies.set("genreport_8765", "0" * 64)  # e.g. the session of a token changed since
        for _ in range(FREE_ATTEMPTS * 2):
            assert client.get("/").status_code == 401
        assert client.get(f"/?token={TOKEN}").status_code == 200
        assert client.get("/").status_code == 200  # the new session replaced the stale one
