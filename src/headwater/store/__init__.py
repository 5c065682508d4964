"""Run history: SQLAlchemy Core tables, batch writes, queries and migrations.

`Store` is the one entry point; `open_store(settings)` opens the configured database.
Both load on first use: the embedded SQLite writer (store/sqlite_sink.py) lives in
this package too and must not import SQLAlchemy with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.store.store import Store, open_store

__all__ = ["Store", "open_store"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from headwater.store import store

        return getattr(store, name)
    raise AttributeError(f"module 'headwater.store' has no attribute {name!r}")
