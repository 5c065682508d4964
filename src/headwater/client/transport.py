"""Choosing the client's transport: a server's API, or the embedded database in-process."""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from headwater.client.http import HttpTransport
    from headwater.core.settings import Settings
    from headwater.operations import Operations

    Transport = Union[HttpTransport, Operations]
    """The control plane: the same methods, arguments, results and exceptions either way."""

__all__ = ["open_transport"]


def open_transport(settings: Settings) -> Transport:
    """`HttpTransport` when `HEADWATER_API_URL` is set, else `Operations` over the
    embedded database (or `HEADWATER_DATABASE_URL`), opened here and closed with it.

    Raises:
        ConfigurationError: the settings are invalid.
        StoreError: the database cannot be opened.
    """
    if settings.api_url:
        from headwater.client.http import HttpTransport

        return HttpTransport(settings)
    from headwater.operations import Operations
    from headwater.store import open_store

    return Operations(open_store(settings), settings, own_store=True)
