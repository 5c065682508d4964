"""The API's gate: bearer key and request size, as one small ASGI middleware.

With `HEADWATER_API_KEY` set, every request under `/api` except `GET /api/health`
needs `Authorization: Bearer <key>`; the key is compared in constant time and never
echoed, logged or put in an error. Bodies larger than `max_body_bytes` are refused
with 413 before they are read into memory; a URL with a NUL character is refused
with 400. `JsonDepthGate` refuses JSON bodies nested deeper than `HEADWATER_JSON_MAX_DEPTH`
with 422.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["ApiGate", "DEFAULT_MAX_BODY_BYTES", "JsonDepthGate", "RedirectBase"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024
"""Largest request body accepted: a full batch of the engine's writer with long log lines fits."""

_OPEN_PATHS = frozenset({"/api/health"})


async def _reply(send: Send, status: int, detail: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers],
    })
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class ApiGate:
    """ASGI middleware: checks the bearer key and caps the request body size.

    Args:
        app: the wrapped ASGI app.
        api_key: the key every API request must carry, or None for no check.
        max_body_bytes: the largest body accepted.
    """

    def __init__(self, app: ASGIApp, *, api_key: str | None, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self._expected = f"Bearer {api_key}".encode() if api_key else None
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = dict(scope["headers"])
        if self._expected is not None and path.startswith("/api") and path not in _OPEN_PATHS:
            given = headers.get(b"authorization", b"")
            if not hmac.compare_digest(given, self._expected):
                what = "wrong" if given else "missing"
                await _reply(send, 401, f"{what} API key: send the header 'Authorization: Bearer <key>' "
                             "with the server's HEADWATER_API_KEY", ((b"www-authenticate", b"Bearer"),))
                return
        query: bytes = scope.get("query_string", b"")
        if "\x00" in path or b"%00" in query or b"\x00" in query:
            # No name or id holds a NUL, and PostgreSQL cannot even compare text with one.
            await _reply(send, 400, "the URL contains a NUL character (%00), which no name or id can hold")
            return
        length = headers.get(b"content-length")
        if length is not None:
            try:
                too_large = int(length) > self.max_body_bytes
            except ValueError:
                await _reply(send, 400, "the Content-Length header is not a number")
                return
            if too_large:
                await _reply(send, 413, self._too_large_message())
                return
            await self.app(scope, receive, send)
            return
        await self._capped(scope, receive, send)

    def _too_large_message(self) -> str:
        return (f"request body larger than {self.max_body_bytes} bytes: send fewer records or log lines "
                "per request")

    async def _capped(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A streamed body without Content-Length: count as it arrives.
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _reply(send, 413, self._too_large_message())


class JsonDepthGate:
    """ASGI middleware: refuses (422, naming the limit) an API request whose JSON body
    nests deeper than `max_depth` levels, before any route parses it (see
    `headwater.core.json_depth`). Inside `ApiGate`, so the body's size is capped already.

    Args:
        app: the wrapped ASGI app.
        max_depth: `HEADWATER_JSON_MAX_DEPTH`.
    """

    def __init__(self, app: ASGIApp, *, max_depth: int) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH") or not scope[
                "path"].startswith("/api"):
            await self.app(scope, receive, send)
            return
        from headwater.core.json_depth import depth_message, raw_too_deep

        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([], message, receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if raw_too_deep(body, self.max_depth):
            await _reply(send, 422, depth_message(self.max_depth))
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], None, receive),
                       send)


def _replay(first: list[Message], then: Message | None, receive: Receive) -> Receive:
    """A `receive` giving the buffered messages, then `then`, then the real ones."""
    pending = [*first, *([then] if then is not None else [])]

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


class RedirectBase:
    """ASGI middleware: a redirect whose `Location` was built from the request's Host
    header (Starlette's trailing-slash redirects are) names `ui_url` instead, or only the
    path when `ui_url` is unset. A forged Host header never becomes a link.

    Args:
        app: the wrapped ASGI app.
        ui_url: `HEADWATER_UI_URL`, or None.
    """

    def __init__(self, app: ASGIApp, *, ui_url: str | None) -> None:
        self.app = app
        self.ui_url = ui_url.rstrip("/") if ui_url else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")

        async def rewriting_send(message: Message) -> None:
            if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
                message["headers"] = [(name, self._rewrite(value, host) if name.lower() == b"location" else value)
                                      for name, value in message.get("headers", [])]
            await send(message)

        await self.app(scope, receive, rewriting_send)

    def _rewrite(self, location: bytes, host: str) -> bytes:
        from urllib.parse import urlsplit

        parts = urlsplit(location.decode("latin-1"))
        if not parts.netloc or parts.netloc != host:
            return location  # a path (ours), or a link elsewhere made on purpose
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return f"{self.ui_url}{path}".encode("latin-1")
