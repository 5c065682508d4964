"""`EventMethods`: Prefect's client methods for events, part of `SyncPrefectClient`.

`read_events(filter=None, limit=100)` and `read_events_page(next_page_url)` with
Prefect's arguments, over the transport; the async client gets them as coroutines.
A page holds at most 50 events (the API's page size, as on Prefect's server); the
rest follow through `next_page`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.core.event_schemas import EventFilter, EventPage

__all__ = ["EventMethods"]

_NEXT = "events/filter/next?page-token="


def _linked(page: EventPage, base: str) -> EventPage:
    if page.next_page:
        page.next_page = f"{base}{_NEXT}{page.next_page}"
    return page


class EventMethods:
    """The events methods of the client (see the module docstring)."""

    if TYPE_CHECKING:
        def _ops(self) -> Transport: ...

    def _events_base(self) -> str:
        url = getattr(self._ops(), "url", "") or ""
        return url.rstrip("/") + "/" if url.startswith("http") else ""

    def read_events(self, filter: EventFilter | None = None, limit: int = 100) -> EventPage:
        """The first page of the events matching `filter` (newest first unless its
        `order` says otherwise), how many match, and the link to the next page."""
        from headwater.core.event_schemas import EVENTS_PAGE_SIZE

        page = self._ops().read_events(filter, max(0, min(limit, EVENTS_PAGE_SIZE)))
        return _linked(page, self._events_base())

    def read_events_page(self, next_page_url: str) -> EventPage:
        """The page a `next_page` link of an earlier page names.

        Raises:
            ParameterValidationError: the link holds no page token.
        """
        from urllib.parse import parse_qs, urlsplit

        from headwater.exceptions import ParameterValidationError

        token = parse_qs(urlsplit(str(next_page_url)).query).get("page-token", [None])[0]
        if not token:
            raise ParameterValidationError(f"next_page_url: {next_page_url!r} is not a next_page link of an event page")
        return _linked(self._ops().read_events_page(token), self._events_base())
