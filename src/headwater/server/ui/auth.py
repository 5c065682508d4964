"""The UI's login: with `HEADWATER_API_KEY` set, a browser proves it knows the key once.

The login form posts the key; when it matches (compared in constant time), the browser
gets a session cookie holding a fresh random session id (`store/ui_sessions.py` keeps
only its hash), never the key:

- it expires after `HEADWATER_UI_SESSION_SECONDS` (12 hours by default), and logging out
  ends it on the server: a copied cookie is worthless after either;
- `HttpOnly` (scripts cannot read it), `SameSite=Strict` (no other site's page can
  make the browser send it), `Path=/`;
- `Secure` when the page was served over HTTPS or from a loopback address (browsers
  treat `http://127.0.0.1` as secure), or when `HEADWATER_UI_URL` is https; a server
  reached over plain HTTP on another address should sit behind TLS.

Failed logins are throttled per client address: after 10 in a minute, the login answers
429 (with Retry-After) until the minute has passed. Redirects name a path, prefixed by
`HEADWATER_UI_URL` when set; never a host taken from the request's Host header.

Without a key there is no login and the pages are open, like the API. Every form post
and action is also refused when its `Origin` is another site (a page elsewhere cannot
drive a local server's buttons).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, TypedDict
from urllib.parse import urlsplit

from fastapi import Request

from headwater.core import clock

if TYPE_CHECKING:
    from headwater.store.ui_sessions import UiSessions

__all__ = ["COOKIE", "ForeignOrigin", "LoginThrottle", "NotLoggedIn", "UiAuth", "safe_next"]

COOKIE = "headwater_session"
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


class CookieSettings(TypedDict):
    """The `Response.set_cookie` arguments of a session cookie."""

    key: str
    value: str
    httponly: bool
    samesite: Literal["strict"]
    secure: bool
    path: str
    max_age: int


class NotLoggedIn(Exception):
    """The request needs a session and has none (a page redirects, data answers 401)."""


class ForeignOrigin(Exception):
    """A state-changing request came from a page of another site."""


class LoginThrottle:
    """Failed logins per client address: at most `limit` within `window_seconds`.

    Kept in the server process's memory (several `--workers` each count their own).
    """

    def __init__(self, limit: int = 10, window_seconds: float = 60.0) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """Seconds until `client` may try again; 0 when it may now."""
        now = time.monotonic()
        with self._lock:
            failures = self._failures.get(client)
            if failures is None:
                return 0
            while failures and failures[0] <= now - self.window_seconds:
                failures.popleft()
            if not failures:
                del self._failures[client]
                return 0
            if len(failures) < self.limit:
                return 0
            return max(1, int(failures[0] + self.window_seconds - now + 0.999))

    def failed(self, client: str) -> None:
        """Count a failed login of `client`."""
        with self._lock:
            if len(self._failures) > 100_000:  # a flood of addresses: forget the oldest half
                for stale in list(self._failures)[:50_000]:
                    del self._failures[stale]
            self._failures.setdefault(client, deque()).append(time.monotonic())


class UiAuth:
    """Checks and issues the UI's sessions for one API key (or none).

    Args:
        api_key: the server's key, or None when the server is open.
        sessions: gives the store's sessions (the store opens at start-up, after this).
        lifetime_seconds: how long a session lasts.
        ui_url: `HEADWATER_UI_URL`, the server's address as browsers reach it, or None.
    """

    def __init__(self, api_key: str | None, sessions: Callable[[], UiSessions] | None = None, *,
                 lifetime_seconds: float = 43_200.0, ui_url: str | None = None) -> None:
        self._key = api_key.encode() if api_key else None
        self._sessions = sessions
        self.lifetime_seconds = lifetime_seconds
        self.ui_url = ui_url.rstrip("/") if ui_url else None
        self.throttle = LoginThrottle()

    @property
    def required(self) -> bool:
        """True when a key is set and the pages need a session."""
        return self._key is not None

    def key_matches(self, given: str) -> bool:
        """Whether `given` is the server's key (constant-time)."""
        return self._key is not None and hmac.compare_digest(given.encode("utf-8", "surrogatepass"), self._key)

    def has_session(self, request: Request) -> bool:
        """Whether the request carries a live session cookie (always True without a key)."""
        if self._key is None:
            return True
        session_id = request.cookies.get(COOKIE, "")
        return bool(session_id) and self._sessions is not None and self._sessions().is_valid(session_id, clock.now())

    def start_session(self) -> str:
        """A new session's id, for the cookie."""
        assert self._sessions is not None
        return self._sessions().start(clock.now(), self.lifetime_seconds)

    def end_session(self, request: Request) -> None:
        """End the request's session, if it has one (logout)."""
        session_id = request.cookies.get(COOKIE, "")
        if session_id and self._sessions is not None:
            self._sessions().end(session_id)

    def check(self, request: Request) -> None:
        """Raise `NotLoggedIn` unless the request may see pages and data."""
        if not self.has_session(request):
            raise NotLoggedIn

    def location(self, path: str) -> str:
        """A redirect's target for a path of this site: under `HEADWATER_UI_URL` when set."""
        return f"{self.ui_url}{path}" if self.ui_url else path

    @staticmethod
    def check_origin(request: Request) -> None:
        """Raise `ForeignOrigin` when a state-changing request names another site as its origin."""
        origin = request.headers.get("origin")
        if origin is None or origin == "null":
            referer = request.headers.get("referer")
            if referer is None:
                return  # not a browser form or fetch (curl, scripts): nothing to forge
            origin = referer
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            raise ForeignOrigin

    def cookie_settings(self, request: Request, session_id: str) -> CookieSettings:
        """The `set_cookie` arguments for the session `session_id` on this request's server."""
        if self.ui_url:
            configured = urlsplit(self.ui_url)
            secure = configured.scheme == "https" or (configured.hostname or "").lower() in _LOOPBACK
        else:
            host = (request.url.hostname or "").lower()
            secure = request.url.scheme == "https" or host in _LOOPBACK
        return CookieSettings(key=COOKIE, value=session_id, httponly=True, samesite="strict", secure=secure,
                              path="/", max_age=int(self.lifetime_seconds))


def safe_next(target: str | None) -> str:
    """A post-login redirect target: a path on this site only (never `//host` or a URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
