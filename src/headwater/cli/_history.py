"""Opening the run history for one command."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.store import Store

__all__ = ["open_history"]


@contextlib.contextmanager
def open_history() -> Iterator[Store]:
    """Open the store the settings point at, and close it when the command is done.

    Raises:
        ConfigurationError: the settings are invalid.
        StoreError: the database cannot be opened (corrupt, read-only, unreachable).
    """
    # Imported here: the store pulls in SQLAlchemy, which `headwater --help` never needs.
    from headwater.core.settings import get_settings
    from headwater.store import open_store

    store = open_store(get_settings())
    try:
        yield store
    finally:
        store.close()
