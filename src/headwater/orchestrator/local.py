"""The embedded orchestrator: history goes straight into the local store."""

from __future__ import annotations

from headwater.core.settings import Settings
from headwater.orchestrator.records import Record
from headwater.orchestrator.writer import BatchWriter

__all__ = ["LocalOrchestrator"]


class LocalOrchestrator:
    """Writes run records into the store named by the settings, off the hot path.

    Opening the store happens here, synchronously, so that an unusable database is
    reported before any run starts rather than lost in a background thread.
    """

    def __init__(self, settings: Settings) -> None:
        from headwater.store import open_store

        self.settings = settings
        self.store = open_store(settings)
        self._writer = BatchWriter(
            self.store.write,
            flush_interval=settings.writer_flush_interval_seconds,
            batch_size=settings.writer_batch_size,
            heartbeat_interval=settings.heartbeat_interval_seconds,
        )
        self.emit = self._writer.emit

    def emit(self, record: Record) -> None:  # replaced per instance by the writer's append
        self._writer.emit(record)

    def flush(self, timeout: float | None = None) -> bool:
        return self._writer.flush(timeout)

    def track_flow_run(self, flow_run_id: str) -> None:
        self._writer.track(flow_run_id)

    def untrack_flow_run(self, flow_run_id: str) -> None:
        self._writer.untrack(flow_run_id)

    def close(self) -> None:
        self._writer.close()
        self.store.close()
