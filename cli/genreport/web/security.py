"""The gate in front of every request: access token, Host check, same-page POSTs, body size, safe headers."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from typing import Any
from urllib.parse import quote

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

#: The session cookie is named per instance (genreport_<port>): another service of the same host gets none of ours.
COOKIE_PREFIX = "genreport_"
#: Wrong tokens a client may try before it must wait; each further one doubles the wait (capped at MAX_WAIT).
FREE_ATTEMPTS, FIRST_WAIT, MAX_WAIT = 5, 30.0, 900.0
TOKEN_ALPHABET = re.compile(r"[A-Za-z0-9._~-]+")
#: Header the page's script sends with every POST: a form on another site cannot, so it cannot make us work.
SAME_PAGE_HEADER = "x-genreport"
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}
HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "x-frame-options": "DENY",
    "cache-control": "no-store",
}


class TooLarge(Exception):
    """The request body passed the per-request size limit while it was being read."""


class Gate:
    """ASGI middleware: refuse requests without the token (when there is one) and oversized bodies.

    Without a token (loopback only), the Host header must name this machine, so a web page elsewhere
    cannot reach the server through a rebinding DNS name.
    """

    def __init__(self, app: Any, token: str | None, max_bytes: int) -> None:
        self.app, self.token, self.max_bytes = app, token, max_bytes
        self.attempts = Attempts()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        response = self._refusal(request) or self._token_in_url(request)
        if response is not None:
            return await response(scope, receive, send)
        await self.app(scope, self._limited(receive), _with_headers(send))

    def _refusal(self, request: Request) -> Response | None:
        if self.token is None and (request.url.hostname or "") not in LOOPBACK_NAMES:
            return refuse(request, 400, "请在本机用 http://127.0.0.1 加端口号的地址打开本页面。")
        if self.token is not None:
            refused = self._checked(request)
            if refused is not None:
                return refused
        if request.method == "POST" and request.headers.get(SAME_PAGE_HEADER) != "1":
            return refuse(request, 403, "请从 genreport 网页上操作。")
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            return refuse(request, 413, too_large(self.max_bytes))
        return None

    def _checked(self, request: Request) -> Response | None:
        """Return the refusal of a request without a valid session or token; a client guessing tokens must wait.

        Only tokens count as guesses: a session cookie cannot be guessed (an HMAC), and a stale one (the token was
        changed) must not lock its user out.
        """
        port = _port(request)
        cookie = request.cookies.get(cookie_name(port))
        if cookie is not None and _same(cookie, session_value(self.token or "", port)):
            return None
        given = request.query_params.get("token") or request.headers.get("x-genreport-token")
        client = request.client.host if request.client else ""
        if given:
            wait = self.attempts.wait(client)
            if wait:
                return refuse(request, 429, f"访问令牌错误次数过多，请 {wait} 秒后再用启动时显示的完整地址打开本页面。")
            if _same(given, self.token or ""):
                self.attempts.forget(client)
                return None
            self.attempts.failed(client)
        return refuse(request, 401, "需要访问令牌：请使用启动 genreport serve 时显示的完整地址（含 token=…）打开本页面。")

    def _token_in_url(self, request: Request) -> Response | None:
        """Move a valid ?token=… into this instance's session cookie and drop it from the address bar (and history)."""
        if self.token is None or request.method != "GET" or "token" not in request.query_params:
            return None
        query = "&".join(f"{k}={quote(v)}" for k, v in request.query_params.multi_items() if k != "token")
        response = RedirectResponse(str(URL(path=request.url.path, query=query)), status_code=303)
        port = _port(request)
        response.set_cookie(cookie_name(port), session_value(self.token, port), httponly=True, samesite="strict")
        return response

    def _limited(self, receive: Any) -> Any:
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise TooLarge()
            return message

        return limited


class Attempts:
    """Wrong tokens per client: after FREE_ATTEMPTS, a wait that doubles with each further one."""

    def __init__(self) -> None:
        self._failed: dict[str, tuple[int, float]] = {}

    def failed(self, client: str) -> None:
        count, _ = self._failed.get(client, (0, 0.0))
        if len(self._failed) > 10_000:  # many clients: forget the oldest half (memory stays bounded)
            for old in sorted(self._failed, key=lambda c: self._failed[c][1])[:5_000]:
                del self._failed[old]
        count += 1
        wait = 0.0 if count < FREE_ATTEMPTS else min(MAX_WAIT, FIRST_WAIT * 2 ** (count - FREE_ATTEMPTS))
        self._failed[client] = (count, time.monotonic() + wait)

    def wait(self, client: str) -> int:
        """Return the whole seconds client must still wait before its next try (0: it may try now)."""
        _, until = self._failed.get(client, (0, 0.0))
        return max(0, int(until - time.monotonic() + 0.999))

    def forget(self, client: str) -> None:
        self._failed.pop(client, None)


def cookie_name(port: int | None) -> str:
    """Return the session cookie's name for the instance listening on port."""
    return f"{COOKIE_PREFIX}{port or 0}"


def session_value(token: str, port: int | None) -> str:
    """Return the session cookie's value: derived from the token and the port, from which the token cannot be had."""
    return hmac.new(token.encode(), f"genreport-session:{port or 0}".encode(), hashlib.sha256).hexdigest()


def weak_token(token: str) -> str | None:
    """Return why a token chosen by a person is too easy to guess (one Chinese sentence), None when it is strong.

    A token must be at least 16 characters from A–Z a–z 0–9 . _ ~ - with at least three of the four kinds
    (capitals, small letters, digits, the signs) and at least 8 different characters.
    """
    kinds = sum(bool(re.search(pattern, token)) for pattern in (r"[A-Z]", r"[a-z]", r"[0-9]", r"[._~-]"))
    if not TOKEN_ALPHABET.fullmatch(token) or len(token) > 200:
        return "访问令牌只能由英文字母、数字或 . _ ~ - 组成（不超过 200 个），请换一个。"
    if len(token) < 16 or kinds < 3 or len(set(token)) < 8:
        return ("访问令牌太容易被猜到：至少 16 个字符，含大写字母、小写字母、数字、符号（. _ ~ -）中的三种，"
                "请换一个，或不指定令牌让 genreport 自动生成。")
    return None


def _port(request: Request) -> int | None:
    server = request.scope.get("server")
    return server[1] if server else None


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def too_large(max_bytes: int) -> str:
    from .uploads import size_text

    return f"上传的内容超过 {size_text(max_bytes)} 的上限，请分批上传或确认文件是否正确。"


def _with_headers(send: Any) -> Any:
    async def sending(message: dict) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in present]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return sending


def refuse(request: Request, status: int, message: str) -> Response:
    """Return the refusal: JSON {"error": message} for the page's script, a small Chinese page otherwise."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status, headers=HEADERS)
    page = ("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>genreport</title>"
            f"<p style=\"font:16px sans-serif;margin:3em\">{_escape(message)}</p></html>")
    return HTMLResponse(page, status_code=status, headers=HEADERS)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def content_disposition(name: str) -> str:
    """Return an attachment header with an ASCII fallback and the RFC 5987 UTF-8 name (Chinese kept)."""
    suffix = name.rsplit(".", 1)[-1] if "." in name else ""
    suffix = suffix if suffix.isascii() and suffix.isalnum() else "bin"
    plain = name if name.isascii() and name.isprintable() and not set(name) & set('"\\;') else f"download.{suffix}"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
