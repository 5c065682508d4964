"""A tiny stand-in for the GitHub REST API, so the stars example runs offline.

It serves `GET /repos/{owner}/{name}` with a JSON body like GitHub's (only the
fields the example reads, plus a few for realism) from a thread on 127.0.0.1 on a
free port. Repos listed in `flaky` answer 503 to their first request, as a real API
sometimes does, so the example shows a task retrying.

Example:
    >>> with serve_fake_github({"PrefectHQ/prefect": 17320}) as api_url:
    ...     httpx.get(f"{api_url}/repos/PrefectHQ/prefect").json()["stargazers_count"]
    17320
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["DEFAULT_STARS", "serve_fake_github"]

DEFAULT_STARS: dict[str, int] = {
    "PrefectHQ/prefect": 17320,
    "pydantic/pydantic": 186319,
    "huggingface/transformers": 134849,
}
"""The repos and star counts of the Prefect 3 tutorial's output."""


class _FakeGitHub(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, stars: Mapping[str, int], flaky: Iterable[str]) -> None:
        super().__init__(("127.0.0.1", 0), _RepoHandler)
        self.stars = dict(stars)
        self.failures_left = {repo: 1 for repo in flaky}
        self.lock = threading.Lock()

    def take_failure(self, repo: str) -> bool:
        """Whether this request for `repo` should fail (each flaky repo fails once)."""
        with self.lock:
            if self.failures_left.get(repo, 0) > 0:
                self.failures_left[repo] -= 1
                return True
            return False


class _RepoHandler(BaseHTTPRequestHandler):
    server: _FakeGitHub

    def do_GET(self) -> None:
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        if len(parts) != 3 or parts[0] != "repos":
            self._send(404, {"message": "Not Found"})
            return
        repo = f"{parts[1]}/{parts[2]}"
        if repo not in self.server.stars:
            self._send(404, {"message": "Not Found"})
        elif self.server.take_failure(repo):
            self._send(503, {"message": "Service Unavailable"})
        else:
            self._send(
                200,
                {
                    "full_name": repo,
                    "name": parts[2],
                    "owner": {"login": parts[1]},
                    "stargazers_count": self.server.stars[repo],
                    "html_url": f"https://github.com/{repo}",
                },
            )

    def _send(self, status: int, body: dict[str, object]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        # The example's own run logs tell the story; access logs would drown them.
        pass


@contextmanager
def serve_fake_github(
    stars: Mapping[str, int] = DEFAULT_STARS, flaky: Iterable[str] = ()
) -> Iterator[str]:
    """Serve a fake GitHub API until the block ends.

    Args:
        stars: star count of each known repo, by "owner/name".
        flaky: repos whose first request answers 503 Service Unavailable.

    Returns:
        A context manager yielding the API's base URL, like "http://127.0.0.1:40123".
    """
    server = _FakeGitHub(stars, flaky)
    thread = threading.Thread(target=server.serve_forever, name="fake-github", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
