"""An HTTP proxy in front of a real server that misbehaves on request, as a load
balancer or a network does: it loses a reply after the server carried the request
out, or answers a status itself without passing the request on.

    proxy = FaultyProxy(server.url)          # proxy.url: the API through the proxy
    proxy.plan("lose_reply")                 # the next request: forwarded, reply lost
    proxy.plan("pass")                       # the next: forwarded, reply passed back
    proxy.plan(("status", 503, "0.2"))       # the next: 503 with Retry-After: 0.2
    proxy.seen                               # (method, path) of every request received

Steps are taken one per request, in order; with none left, requests pass through.
"""

from __future__ import annotations

import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Union
from urllib.parse import urlsplit

import httpx

Step = Union[str, tuple[str, int, Union[str, None]]]

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class FaultyProxy:
    """See the module docstring. Serves on 127.0.0.1 and a free port until `close()`."""

    def __init__(self, upstream_api_url: str) -> None:
        parts = urlsplit(upstream_api_url)
        self._upstream = httpx.Client(base_url=f"{parts.scheme}://{parts.netloc}", timeout=30)
        self._steps: deque[Step] = deque()
        self._lock = threading.Lock()
        self.seen: list[tuple[str, str]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with proxy._lock:
                    proxy.seen.append((self.command, self.path))
                    step = proxy._steps.popleft() if proxy._steps else "pass"
                if isinstance(step, tuple):
                    _, status, retry_after = step
                    self.send_response(status)
                    if retry_after is not None:
                        self.send_header("Retry-After", retry_after)
                    payload = b'{"detail": "from the proxy"}'
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                reply = proxy._upstream.request(self.command, self.path, content=body, headers=headers)
                if step == "lose_reply":  # the server did it; the client never hears
                    self.close_connection = True
                    return
                self.send_response(reply.status_code)
                for key, value in reply.headers.items():
                    if key.lower() not in _HOP_BY_HOP and key.lower() != "content-encoding":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(reply.content)))
                self.end_headers()
                self.wfile.write(reply.content)

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="faulty-proxy", daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}{parts.path}"

    def plan(self, *steps: Step) -> None:
        """What to do to the next requests, one step each."""
        with self._lock:
            self._steps.extend(steps)

    def requests_to(self, method: str, path_end: str) -> int:
        """How many requests with this method and a path ending in `path_end` were received."""
        with self._lock:
            return sum(1 for m, p in self.seen if m == method and p.partition("?")[0].endswith(path_end))

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._upstream.close()
