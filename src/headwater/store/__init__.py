"""Run history: SQLAlchemy Core tables, batch writes, queries and migrations.

`Store` is the one entry point; `open_store(settings)` opens the configured database.
"""

from __future__ import annotations

from headwater.store.store import Store, open_store

__all__ = ["Store", "open_store"]
