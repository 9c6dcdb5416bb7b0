"""The gate in front of every request: access token, Host check, same-page POSTs, body size, safe headers."""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import quote

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

COOKIE = "genreport_token"
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
        if self.token is not None and not self._allowed(request):
            return refuse(request, 401, "需要访问令牌：请使用启动 genreport serve 时显示的完整地址（含 token=…）打开本页面。")
        if request.method == "POST" and request.headers.get(SAME_PAGE_HEADER) != "1":
            return refuse(request, 403, "请从 genreport 网页上操作。")
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            return refuse(request, 413, too_large(self.max_bytes))
        return None

    def _allowed(self, request: Request) -> bool:
        given = (request.query_params.get("token") or request.headers.get("x-genreport-token")
                 or request.cookies.get(COOKIE) or "")
        return hmac.compare_digest(given.encode(), (self.token or "").encode())

    def _token_in_url(self, request: Request) -> Response | None:
        """Move a valid ?token=… into a cookie and drop it from the address bar (and from history)."""
        if self.token is None or request.method != "GET" or "token" not in request.query_params:
            return None
        query = "&".join(f"{k}={quote(v)}" for k, v in request.query_params.multi_items() if k != "token")
        response = RedirectResponse(str(URL(path=request.url.path, query=query)), status_code=303)
        response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict")
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
