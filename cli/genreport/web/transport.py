"""Bounded requests: a connection that sends its request too slowly is closed (uvicorn's h11 protocol, timed).

uvicorn closes an idle kept-alive connection, but a client that opens a connection and sends half a request (or
dribbles its upload) would hold it forever. Here the request line and headers must arrive within `header_seconds`
of the connection (or of the previous response), the body may pause at most `idle_seconds` between two reads, and
the whole body must arrive within `body_seconds`.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 20.0
IDLE_SECONDS = 60.0
#: 100 MB (the default upload limit) at about 120 KB/s: far below what an intranet gives.
BODY_SECONDS = 900.0


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for the headers and for the body, and a limit on pauses."""

    header_seconds = HEADER_SECONDS
    idle_seconds = IDLE_SECONDS
    body_seconds = BODY_SECONDS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._timer: asyncio.TimerHandle | None = None
        self._body_deadline: float | None = None
        super().connection_made(transport)
        self._expect_request()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            now = self.loop.time()
            if self._body_deadline is None:
                self._body_deadline = now + self.body_seconds
            self._arm(min(self.idle_seconds, self._body_deadline - now))
        elif state is not h11.IDLE:  # the whole request is in (IDLE: the headers are still coming, time runs on)
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._expect_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _expect_request(self) -> None:
        self._body_deadline = None
        self._arm(self.header_seconds)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._timer = self.loop.call_later(max(0.0, seconds), self._too_slow)

    def _disarm(self) -> None:
        if getattr(self, "_timer", None) is not None:
            self._timer.cancel()
            self._timer = None

    def _too_slow(self) -> None:
        """Close the connection of a client that did not send its request in time."""
        self._timer = None
        if not self.transport.is_closing():
            self.transport.close()


def bounded(header: float = HEADER_SECONDS, idle: float = IDLE_SECONDS, body: float = BODY_SECONDS) -> Any:
    """Return the protocol class with these limits (seconds)."""
    return type("BoundedH11Protocol", (BoundedH11Protocol,),
                {"header_seconds": header, "idle_seconds": idle, "body_seconds": body})
