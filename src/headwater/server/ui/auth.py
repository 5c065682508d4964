"""The UI's login: with `HEADWATER_API_KEY` set, a browser proves it knows the key once.

The login form posts the key; when it matches (compared in constant time), the browser
gets a session cookie holding an HMAC of the key, never the key itself:

- `HttpOnly` (scripts cannot read it), `SameSite=Strict` (no other site's page can
  make the browser send it), `Path=/`;
- `Secure` when the page was served over HTTPS or from a loopback address (browsers
  treat `http://127.0.0.1` as secure); a server reached over plain HTTP on another
  address should sit behind TLS, and then the cookie is `Secure` too.

Changing the key invalidates every session. Without a key there is no login and the
pages are open, like the API. Every form post and action is also refused when its
`Origin` is another site (a page elsewhere cannot drive a local server's buttons).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Literal, TypedDict
from urllib.parse import urlsplit

from fastapi import Request

__all__ = ["COOKIE", "ForeignOrigin", "NotLoggedIn", "UiAuth", "safe_next"]

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


class NotLoggedIn(Exception):
    """The request needs a session and has none (a page redirects, data answers 401)."""


class ForeignOrigin(Exception):
    """A state-changing request came from a page of another site."""


class UiAuth:
    """Checks and issues the UI's session cookie for one API key (or none).

    Args:
        api_key: the server's key, or None when the server is open.
    """

    def __init__(self, api_key: str | None) -> None:
        self._key = api_key.encode() if api_key else None
        self._token = hmac.new(self._key, b"headwater-ui-session-v1", hashlib.sha256).hexdigest() \
            if self._key else None

    @property
    def required(self) -> bool:
        """True when a key is set and the pages need a session."""
        return self._key is not None

    def key_matches(self, given: str) -> bool:
        """Whether `given` is the server's key (constant-time)."""
        return self._key is not None and hmac.compare_digest(given.encode(), self._key)

    def has_session(self, request: Request) -> bool:
        """Whether the request carries a valid session cookie (always True without a key)."""
        if self._token is None:
            return True
        return hmac.compare_digest(request.cookies.get(COOKIE, ""), self._token)

    def check(self, request: Request) -> None:
        """Raise `NotLoggedIn` unless the request may see pages and data."""
        if not self.has_session(request):
            raise NotLoggedIn

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

    def cookie_settings(self, request: Request) -> CookieSettings:
        """The `set_cookie` arguments for a new session on this request's server."""
        host = (request.url.hostname or "").lower()
        secure = request.url.scheme == "https" or host in _LOOPBACK
        return CookieSettings(key=COOKIE, value=self._token or "", httponly=True, samesite="strict", secure=secure,
                              path="/")


def safe_next(target: str | None) -> str:
    """A post-login redirect target: a path on this site only (never `//host` or a URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
