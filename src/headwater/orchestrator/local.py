"""The embedded orchestrator: history goes straight into the local store."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from headwater.core.settings import Settings
from headwater.orchestrator.records import Heartbeat
from headwater.orchestrator.writer import BackgroundWriter, WriterBacked

if TYPE_CHECKING:
    from headwater.core.limits import ConcurrencyLimitInfo, SlotGrant
    from headwater.store import Store

__all__ = ["LocalOrchestrator"]

_CREATION_WAIT_SECONDS = 1.0


class LocalOrchestrator(WriterBacked):
    """Writes run records into the store named by the settings, off the hot path.

    Opening the database happens here, synchronously, so that an unusable one is
    reported before any run starts rather than lost in a background thread. An
    existing SQLite file at this code's schema is written through `SqliteSink`,
    without SQLAlchemy; the full `Store` then opens only if something needs more
    than writing history (concurrency limits).

    Each flow run it tracks gets its process recorded (`RunProcess`), so that the next
    process opening the database can end it Crashed if this one dies; that next
    process's check runs in the writer's thread (`SqliteSink.recover`). History that
    cannot be written by the end of the process (the file locked past the busy timeout,
    the disk full) is kept in a spill file under `HEADWATER_HOME` and reported on
    stderr, and `history_incomplete` is set (the process then exits non-zero, see
    `headwater.orchestrator`).
    """

    history_incomplete: bool = False

    def __init__(self, settings: Settings) -> None:
        from headwater.store.sqlite_sink import SqliteSink

        self.settings = settings
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        url = settings.database_url_resolved
        self._sink = SqliteSink.open(url, settings.sqlite_busy_timeout_seconds)
        startup: Callable[[], None] | None = None
        if self._sink is not None:
            sink = self._sink
            write = sink.write
            startup = lambda: sink.recover(url, str(settings.home), settings.zombie_after_seconds)  # noqa: E731
        else:
            self.store.check_writable()  # opening the store ran its recovery (store/recovery.py)
            write = self.store.history.write
        self._use_writer(BackgroundWriter(
            write,
            flush_interval=settings.writer_flush_interval_seconds,
            batch_size=settings.writer_batch_size,
            heartbeat_interval=settings.heartbeat_interval_seconds,
            give_up_after=settings.sqlite_busy_timeout_seconds,
            startup=startup,
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

    def track_flow_run(self, flow_run_id: str) -> None:
        writer = self._writer
        first = not writer.tracking()
        super().track_flow_run(flow_run_id)
        if first and (self._sink is None or self._sink.ready):
            # A top-level run (none other tracked) is on disk before it starts, so a process
            # that dies at once still leaves it to be found Crashed; about a millisecond
            # once per top-level run. Never long: a database another program locks is not
            # waited for (the sink is then not ready), and the wait is bounded anyway.
            writer.flush(timeout=_CREATION_WAIT_SECONDS)

    def close(self) -> None:
        writer = self._writer
        bound = max(30.0, 2 * self.settings.sqlite_busy_timeout_seconds)
        if writer.flush(timeout=bound):
            writer.close()
        else:
            if self._sink is not None:
                self._sink.abandon()
            writer.abandon()
            self._keep(writer.unwritten(), writer.last_error)
        if self._sink is not None:
            self._sink.close()
        if self._store is not None:
            self._store.close()

    def _keep(self, records: list[Any], error: BaseException | None) -> None:
        """Spill what could not be written and say so on stderr, whatever the logging settings."""
        records = [record for record in records if type(record) is not Heartbeat]  # stale once spilled
        if not records:
            return
        from headwater.store.spill import spill_records

        self.history_incomplete = True
        database = self._sink.path if self._sink is not None else self.settings.database_url_resolved
        why = str(error) if error is not None else "the writer did not finish in time"
        named = f"the run-history database {database} "
        if why.startswith(named):  # the store's errors name the file: said once is enough
            why = "it " + why[len(named):]
        try:
            path = spill_records(Path(self.settings.home), self.settings.database_url_resolved, records)
            kept = (f"They are kept in {path}; the next headwater process using this database writes them in, "
                    "or run `headwater database recover`.")
        except OSError as exc:
            kept = f"They could not be kept either ({exc}): they are lost."
        message = (f"headwater: {len(records)} history record(s) of this process could not be written to the "
                   f"run-history database {database}: {why} {kept}\n")
        try:
            sys.stderr.write(message)
            sys.stderr.flush()
        except (OSError, ValueError):
            pass

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
