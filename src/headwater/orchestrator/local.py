"""The embedded orchestrator: history goes straight into the local store."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from headwater.core.settings import Settings
from headwater.orchestrator.writer import BackgroundWriter, WriterBacked

if TYPE_CHECKING:
    from headwater.core.limits import ConcurrencyLimitInfo, SlotGrant
    from headwater.store import Store

__all__ = ["LocalOrchestrator"]


class LocalOrchestrator(WriterBacked):
    """Writes run records into the store named by the settings, off the hot path.

    Opening the database happens here, synchronously, so that an unusable one is
    reported before any run starts rather than lost in a background thread. An
    existing SQLite file at this code's schema is written through `SqliteSink`,
    without SQLAlchemy; the full `Store` then opens only if something needs more
    than writing history (concurrency limits).
    """

    def __init__(self, settings: Settings) -> None:
        from headwater.store.sqlite_sink import SqliteSink

        self.settings = settings
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        self._sink = SqliteSink.open(settings.database_url_resolved, settings.sqlite_busy_timeout_seconds)
        if self._sink is not None:
            write = self._sink.write
        else:
            self.store.check_writable()
            write = self.store.history.write
        self._use_writer(BackgroundWriter(
            write,
            flush_interval=settings.writer_flush_interval_seconds,
            batch_size=settings.writer_batch_size,
            heartbeat_interval=settings.heartbeat_interval_seconds,
        ))

    @property
    def store(self) -> Store:
        """The full store (opened on first use when history goes through the sink)."""
        if self._store is None:
            with self._store_lock:
                if self._store is None:
                    from headwater.store import open_store

                    self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        self._writer.close()
        if self._sink is not None:
            self._sink.close()
        if self._store is not None:
            self._store.close()

    # -- concurrency slots: thin calls into the store (engine/concurrency.py, engine/tag_limits.py);
    # an HTTP orchestrator implements the same methods against the server's API.
    def acquire_concurrency_slots(self, names: Sequence[str], slots: int, *, lease_seconds: float | None,
                                  holder: dict[str, Any], strict: bool = False) -> SlotGrant:
        return self.store.limits.acquire_concurrency_slots(names, slots, lease_seconds=lease_seconds, holder=holder,
                                                    strict=strict)

    def renew_concurrency_leases(self, lease_ids: Sequence[str], lease_seconds: float) -> list[str]:
        return self.store.limits.renew_concurrency_leases(lease_ids, lease_seconds)

    def release_concurrency_slots(self, lease_id: str) -> None:
        self.store.limits.release_concurrency_slots(lease_id)

    def list_concurrency_limits(self, *, kind: str | None = None,
                                with_holders: bool = True) -> list[ConcurrencyLimitInfo]:
        return self.store.limits.list_concurrency_limits(kind=kind, with_holders=with_holders)
