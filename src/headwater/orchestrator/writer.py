"""The background writer: batches records off the hot path.

`emit()` is a `deque.append` (thread-safe, no lock, no wake-up). A daemon thread
wakes every `flush_interval` seconds (or at once when someone calls `flush()`),
drains the queue in batches and hands each batch to a sink (a store's `write` or an
HTTP POST). A failing sink is retried with backoff: records are kept, in order,
until they are written. `flush()` puts a marker in the queue and waits for the
writer to pass it, so it returns only when everything emitted before it is stored.

A writer given `give_up_after` (the embedded one: the SQLite busy timeout) stops
making `flush()` wait once its sink has failed for that long (flush returns False;
the writer keeps trying in the background). `abandon()` stops it for good, and
`unwritten()` then hands back, in order, the records it could not store, for the
caller to keep elsewhere (orchestrator/local.py spills them to a file).

A crash loses at most what was emitted in the last `flush_interval` (plus the time
of the write in progress): a flow run's creation is written at once, when the run
starts being tracked, and everything else within one interval.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from headwater.core import clock
from headwater.orchestrator.records import Heartbeat, Record, RunProcess

__all__ = ["BackgroundWriter", "WriterBacked"]

log = logging.getLogger("headwater.writer")


class _FlushMarker:
    __slots__ = ("done", "ok")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.ok = True

    def release(self, ok: bool) -> None:
        if not self.done.is_set():
            self.ok = ok
            self.done.set()


class BackgroundWriter:
    """Writes queued records to `sink` in batches from a background thread.

    Args:
        sink: called with a list of records; raises to signal a failed write.
        flush_interval: seconds between writes when nobody asks for a flush.
        batch_size: records per sink call at most.
        heartbeat_interval: seconds between heartbeats of tracked flow runs.
        give_up_after: seconds of failing writes after which `flush()` stops waiting
            (None: it waits for as long as its caller lets it).
        startup: called once in the writer's thread before anything is written
            (the embedded writer's recovery); what it raises is logged.
    """

    def __init__(
        self,
        sink: Callable[[Sequence[Record]], None],
        *,
        flush_interval: float = 0.25,
        batch_size: int = 5000,
        heartbeat_interval: float = 10.0,
        name: str = "headwater-writer",
        give_up_after: float | None = None,
        startup: Callable[[], None] | None = None,
    ) -> None:
        self._sink = sink
        self._flush_interval = flush_interval
        self._batch_size = batch_size
        self._heartbeat_interval = heartbeat_interval
        self._queue: collections.deque[Any] = collections.deque()
        self._wake = threading.Event()
        self._stopping = False
        self._tracked: dict[str, None] = {}
        self._last_heartbeat = 0.0
        self._give_up_after = give_up_after
        self._startup = startup
        self._waiting: set[_FlushMarker] = set()
        self._abandoned = False
        self.failing_since: float | None = None
        self.last_error: BaseException | None = None
        self.failures = 0
        self.emit = self._queue.append  # the hot path: one C call
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def backpressure(self, high_water: int = 250_000) -> None:
        """Wait for the writer when too many records are queued, so a long flow that
        produces records faster than they are stored does not grow without bound."""
        if len(self._queue) > high_water:
            self.flush()

    def emit_many(self, records: Iterable[Record]) -> None:
        """Queue several records."""
        self._queue.extend(records)

    def track(self, flow_run_id: str) -> None:
        """Heartbeat this flow run until `untrack`; the first heartbeat goes out now."""
        self._tracked[flow_run_id] = None
        self._queue.append(Heartbeat(flow_run_id, clock.now()))
        # Write the run's creation now, not at the next interval: a process killed in
        # its first moments still leaves its run in history (to be found Crashed).
        self._wake.set()

    def tracking(self) -> bool:
        """Whether any flow run is tracked."""
        return bool(self._tracked)

    def untrack(self, flow_run_id: str) -> None:
        """Stop heartbeating this flow run."""
        self._tracked.pop(flow_run_id, None)

    def flush(self, timeout: float | None = None) -> bool:
        """Block until all records emitted before this call are written; False when
        they were not (time-out, or the sink failing for longer than `give_up_after`)."""
        if not self._thread.is_alive():
            return not self._queue
        if self._given_up():
            self._wake.set()  # one more try in the background; nobody waits for it
            return False
        marker = _FlushMarker()
        self._waiting.add(marker)
        self._queue.append(marker)
        self._wake.set()
        try:
            return marker.done.wait(timeout) and marker.ok
        finally:
            self._waiting.discard(marker)

    def abandon(self, timeout: float = 5.0) -> None:
        """Stop writing for good: the thread ends after the write in progress (the sink
        should refuse further writes at once, see `SqliteSink.abandon`); what was not
        written stays for `unwritten()`."""
        self._abandoned = True
        self._stopping = True
        self._wake.set()
        self._thread.join(timeout)
        self._release_waiting(False)

    def unwritten(self) -> list[Record]:
        """After `abandon()`: the records not written, in the order they were emitted."""
        return [item for item in list(self._queue) if type(item) is not _FlushMarker]

    def _given_up(self) -> bool:
        since = self.failing_since
        return (since is not None and self._give_up_after is not None
                and time.monotonic() - since >= self._give_up_after)

    def _release_waiting(self, ok: bool) -> None:
        for marker in list(self._waiting):
            marker.release(ok)

    def close(self, timeout: float | None = 30.0) -> bool:
        """Flush, then stop the thread."""
        flushed = self.flush(timeout)
        self._stopping = True
        self._wake.set()
        self._thread.join(timeout)
        return flushed

    def pending(self) -> int:
        """Records queued and not yet written (markers included)."""
        return len(self._queue)

    def _run(self) -> None:
        if self._startup is not None:
            try:
                self._startup()
            except Exception as exc:  # recovery is a courtesy; writing history is the job
                log.warning("could not check the run history for runs of ended processes: %s", exc)
        while True:
            self._wake.wait(self._flush_interval)
            self._wake.clear()
            self._heartbeat()
            self._drain()
            if self._abandoned or (self._stopping and not self._queue):
                return

    def _heartbeat(self) -> None:
        if not self._tracked:
            return
        now = clock.now()
        if now - self._last_heartbeat >= self._heartbeat_interval:
            self._last_heartbeat = now
            self._queue.extend(Heartbeat(run_id, now) for run_id in list(self._tracked))

    def _drain(self) -> None:
        queue = self._queue
        while queue:
            batch: list[Record] = []
            markers: list[_FlushMarker] = []
            popleft = queue.popleft
            while queue and len(batch) < self._batch_size:
                item = popleft()
                if type(item) is _FlushMarker:
                    markers.append(item)
                    break  # write what came before the marker, then release it
                batch.append(item)
            if batch and not self._write(batch):
                queue.extendleft(reversed([*batch, *markers]))  # back in front, in order
                return
            for marker in markers:
                marker.release(True)

    def _write(self, batch: list[Record]) -> bool:
        """Write `batch`, retrying while the sink fails; False when abandoned (not written)."""
        delay = 0.05
        while True:
            if self._abandoned:
                return False
            started = time.monotonic()
            try:
                self._sink(batch)
                self.failing_since = None
                return True
            except Exception as exc:  # keep the records; the sink may come back
                self.failures += 1
                self.last_error = exc
                now = time.monotonic()
                if self.failing_since is None:
                    self.failing_since = started  # a write that waited out the bound has failed for that long
                if self._abandoned:
                    return False
                log.warning("could not write %d history record(s), retrying in %.1fs: %s", len(batch), delay, exc)
                if self._give_up_after is not None and now - self.failing_since >= self._give_up_after:
                    self._release_waiting(False)  # flush() callers go on; the records stay queued
                elif self._give_up_after is None and self._stopping and self.failures > 20:
                    log.error("giving up on %d history record(s) at shutdown: %s", len(batch), exc)
                    return True
                # A flush() or abandon() wakes this wait: a caller never waits out a backoff.
                self._wake.wait(delay)
                self._wake.clear()
                delay = min(delay * 2, 5.0)


class WriterBacked:
    """The orchestrator methods that hand records to a `BackgroundWriter`; shared by the
    local and HTTP orchestrators, which differ only in the writer's sink."""

    _writer: BackgroundWriter
    _process: str | None = None  # this process, as store/processes.py names it (on first use)

    def _use_writer(self, writer: BackgroundWriter) -> None:
        self._writer = writer
        # The hot path calls these per task run: bind the writer's own methods.
        self.emit = writer.emit  # type: ignore[method-assign, assignment]  # bound method: one call less per record
        self.backpressure = writer.backpressure  # type: ignore[method-assign]  # as above

    def emit(self, record: Record) -> None:
        self._writer.emit(record)

    def backpressure(self) -> None:
        self._writer.backpressure()

    def flush(self, timeout: float | None = None) -> bool:
        return self._writer.flush(timeout)

    def track_flow_run(self, flow_run_id: str) -> None:
        # The run's process ("host:pid:start"), so that it can be told at once that it
        # died, or that it lives while a task holds the GIL: by the next process opening
        # the embedded database, or by a server on this host (server/services/zombies.py).
        if self._process is None:
            from headwater.store.processes import this_process

            self._process = this_process()
        self._writer.emit(RunProcess(flow_run_id, self._process))
        self._writer.track(flow_run_id)

    def untrack_flow_run(self, flow_run_id: str) -> None:
        self._writer.untrack(flow_run_id)

