"""Sending a request to the server again while the server is away.

These are the engine's client-mode rules (`orchestrator/http.py`: a history batch is
sent again while the server cannot be reached or answers 5xx, after waits of 0.05 s
doubling up to 2 s, until `HEADWATER_API_BUFFER_SECONDS` have passed since the server
was first missed), applied to the client's calls, whose caller waits for the answer:

- **Never reached the server** (connection refused, connect or pool time-out) or
  **refused unprocessed** (408, 429): any request is sent again, whatever it does.
- **Perhaps done, reply lost** (read or write time-out, connection dropped, 502, 503,
  504): sent again only when repeating it is harmless: the transport says so per
  request (`idempotent`; the rule for each operation is in `client/http.py`). Anything
  else is not repeated: the call fails at once, saying it may or may not have been done.
- **Any other reply** (2xx, 4xx, 500) is the answer, at once.
- **A server never reached** is not waited for: while this transport has had no reply
  yet, a refused or timed-out connection fails the call at once, since a URL that never
  answered is most likely wrong or its server not started (Prefect's client does the
  same). Retries are for a server that goes away: a restart, an upgrade, a blip.
- **One bound per outage**, as for the engine: the server counts as away from its first
  miss until it answers; calls keep trying until the bound has passed since then, and
  later calls get one try each until it is back (each retry is logged once per outage,
  not per call).
- **Retry-After** on a 429 or 503 is waited out instead of the backoff when it fits in
  the time left; otherwise that reply is the answer at once.
- **A DELETE sent again that finds nothing (404)** succeeded: the lost reply was its
  own first success.

When the bound has passed the call raises one `StoreError` naming the server's URL,
what went wrong and what to do, with no traceback of the HTTP library.
"""

from __future__ import annotations

import email.utils
import logging
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import httpx

from headwater.exceptions import StoreError

if TYPE_CHECKING:
    from headwater.orchestrator.http import ApiClient

__all__ = ["FIRST_DELAY_SECONDS", "MAX_DELAY_SECONDS", "Resender", "retry_after_seconds"]

FIRST_DELAY_SECONDS = 0.05
"""The first wait before sending again; doubled after each miss (the engine's too)."""
MAX_DELAY_SECONDS = 2.0
"""The longest wait between two tries (the engine's too)."""

_UNPROCESSED_STATUSES = frozenset({408, 429})
_PERHAPS_DONE_STATUSES = frozenset({502, 503, 504})
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

log = logging.getLogger("headwater.client")  # orchestrator/http.py gives it its own stderr handler


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The wait a reply's `Retry-After` asks for (seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class Resender:
    """Sends the requests of one transport through `api`, again while the server is
    away (see the module docstring).

    Args:
        api: the HTTP client.
        bound_seconds: how long an outage is waited out (`api_buffer_seconds`).

    Attributes:
        answered: whether the server has ever replied to this transport.
        down_since: `time.monotonic()` of the first miss of the current outage, or None.
        resent: requests sent again so far.
    """

    def __init__(self, api: ApiClient, bound_seconds: float) -> None:
        self.api = api
        self.bound_seconds = bound_seconds
        self.answered = False
        self.down_since: float | None = None
        self.resent = 0

    def send(self, method: str, path: str, *, idempotent: bool, json: Any = None,
             params: Any = None) -> httpx.Response:
        """Send one request under the rules; return the reply the caller should read.

        Raises:
            StoreError: the server could not be reached within the bound, or a request
                that is not safe to repeat got no reply.
        """
        what = f"{method} /{path.lstrip('/')}"
        delay = FIRST_DELAY_SECONDS
        tries = 0
        perhaps_done = False  # an earlier try may have been carried out
        while True:
            tries += 1
            wait: float | None = None
            response: httpx.Response | None = None
            try:
                response = self.api.send(method, path, json=json, params=params)
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                if isinstance(exc, _NEVER_SENT):
                    if not self.answered:
                        raise self.api.unreachable(exc) from None
                    reached = False
                else:
                    reached = True
            else:
                self.answered = True
                status = response.status_code
                if status not in _UNPROCESSED_STATUSES and status not in _PERHAPS_DONE_STATUSES:
                    self._back()
                    if status == 404 and method == "DELETE" and perhaps_done:
                        return httpx.Response(204, request=response.request)
                    return response
                problem = f"HTTP {status}"
                reached = status in _PERHAPS_DONE_STATUSES
                if status in (429, 503):
                    wait = retry_after_seconds(response)
            if reached and not idempotent:
                if response is not None:
                    return response  # the caller raises what the status means
                raise StoreError(
                    f"the headwater server at {self.api.url} did not answer {what} ({problem}), so it may or may "
                    "not have been done; it was not sent again, since doing it twice is not harmless. Check the "
                    "result (or the server) before repeating it."
                )
            now = time.monotonic()
            if self.down_since is None:
                self.down_since = now
                log.warning("the headwater server at %s is away (%s on %s); trying again for up to %.0f s",
                            self.api.url, problem, what, self.bound_seconds)
            left = self.down_since + self.bound_seconds - now
            if left <= 0 or (wait is not None and wait > left):
                if response is not None:
                    return response
                raise StoreError(
                    f"cannot reach the headwater server at {self.api.url} ({problem}); gave up on {what} after "
                    f"{tries} {'try' if tries == 1 else 'tries'}, {now - self.down_since:.1f} s after it was first "
                    "missed. Start it with `headwater server start`, or check HEADWATER_API_URL "
                    f"(HEADWATER_API_BUFFER_SECONDS={self.bound_seconds:g} is how long an outage is waited out)."
                )
            # As the engine's writer: the last wait is cut to the time left, then one more try.
            time.sleep(min(delay, left) if wait is None else wait)
            self.resent += 1
            perhaps_done = perhaps_done or reached
            delay = min(delay * 2, MAX_DELAY_SECONDS)

    def _back(self) -> None:
        if self.down_since is not None:
            log.warning("the headwater server at %s answers again (after %.1f s)", self.api.url,
                        time.monotonic() - self.down_since)
            self.down_since = None
