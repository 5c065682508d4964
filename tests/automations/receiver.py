"""A small HTTP receiver on 127.0.0.1 for webhook and notification tests: records each
request's method, path and body; can answer with an error status for a while."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """Start with `with Receiver() as r:`; `r.url` is its base URL, `r.calls` what it got."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, bytes]] = []
        self.fail_next = 0  # answer 503 to this many requests first
        self.release = threading.Event()
        self.release.set()
        self.changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                receiver.release.wait(30)  # a slow receiver: hold the request until released
                with receiver.changed:
                    failing = receiver.fail_next > 0
                    if failing:
                        receiver.fail_next -= 1
                    else:
                        receiver.calls.append((self.command, self.path, body))
                    receiver.changed.notify_all()
                self.send_response(503 if failing else 200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait_for_calls(self, count: int, timeout: float) -> list[tuple[str, str, bytes]]:
        """Wait until at least `count` requests were recorded; all of them."""
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.calls) >= count, timeout):
                raise AssertionError(f"the receiver got {len(self.calls)} request(s), not {count}, in {timeout} s")
            return list(self.calls)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
