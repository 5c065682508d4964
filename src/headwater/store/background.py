"""Background task runs: the queue `task.delay()` fills and task workers claim from.

A run is created SCHEDULED: one row here (what the queue needs), its task run and its
first state in the history tables, in one write transaction. A claim moves runs of
the worker's tasks to CLAIMED under a lease, in one write transaction no other
claimer can interleave with (`FOR UPDATE SKIP LOCKED` on PostgreSQL, `BEGIN
IMMEDIATE` on SQLite), so each run is executed by one worker. The worker renews its
leases with its heartbeat; a run whose lease expired (its worker died) can be claimed
again. Attempts count: a run is claimed again only while the attempts made so far
(claims, or the RUNNING states recorded, whichever is more) stay within its `retries`;
otherwise it ends Crashed. A worker reports how each run ended (DONE, with the final
state); the engine's own records keep the run's history as for any task run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from headwater.core import clock
from headwater.core.background_schemas import (
    BackgroundClaimRequest,
    BackgroundFinish,
    BackgroundRunCreate,
    BackgroundRunEnd,
    BackgroundRunInfo,
    BackgroundRunStatus,
    ClaimedBackgroundRun,
    TaskWorkerHeartbeat,
    TaskWorkerInfo,
)
from headwater.store.reads import as_utc
from headwater.store.tables import background_task_runs as queue
from headwater.store.tables import states, task_runs, task_workers

if TYPE_CHECKING:
    from headwater.store.database import Database

__all__ = ["BackgroundTasks", "TASK_WORKER_OFFLINE_AFTER_S"]

TASK_WORKER_OFFLINE_AFTER_S = 30.0
"""A task worker not heard from for this long is shown OFFLINE."""
_WAITING = ("SCHEDULED", "CLAIMED")


class BackgroundTasks:
    """The background task run queue and task workers over one `Database`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, body: BackgroundRunCreate) -> None:
        """Queue a run: its queue row, its task run (SCHEDULED) and that first state.

        A run whose id is queued already is left as it is (a request sent again).
        """
        now = clock.now()
        # Statements built once and given their values at execution: `delay()` is a hot
        # path, and building a statement with `.values()` costs more than running it.
        statements = _statements(self._db.dialect_name)

        def action(conn: Connection) -> None:
            added = conn.execute(statements["queue"], dict(
                id=body.id, name=body.name, task_key=body.task_key, task_name=body.task_name, status="SCHEDULED",
                storage=body.storage, retries=body.retries, claims=0, created=now, updated=now,
                parameters=_decode(body.parameters), outcome=None))
            if added.rowcount == 0:
                return
            conn.execute(statements["task_run"], dict(  # a flow's runner may have announced it already
                id=body.id, flow_run_id=body.flow_run_id, name=body.name, task_name=body.task_name,
                task_key=body.task_key, dynamic_key=0, tags=list(body.tags), state_type="SCHEDULED",
                state_name="Scheduled", state_message=None, state_timestamp=now, run_count=0, created=now,
                updated=now))
            conn.execute(statements["state"], dict(flow_run_id=None, task_run_id=body.id, type="SCHEDULED",
                                                   name="Scheduled", message=None, timestamp=now, details=None))

        self._db.write(action)

    def has_work(self, task_keys: list[str], now: float) -> bool:
        """Whether a claim for these tasks would find anything (a read: no write lock)."""
        statements = _statements(self._db.dialect_name)

        def read(conn: Connection) -> bool:
            if conn.execute(statements["any_scheduled"], dict(keys=task_keys)).first() is not None:
                return True
            return conn.execute(statements["any_expired"], dict(keys=task_keys, now=now)).first() is not None

        return self._db.read(read)

    def claim(self, body: BackgroundClaimRequest) -> list[ClaimedBackgroundRun]:
        """Record `body.ended`, then claim up to `body.limit` runs of `body.task_keys`,
        oldest first, in one transaction (see the module docstring)."""
        if body.limit <= 0 and not body.ended:
            return []

        def action(conn: Connection) -> list[ClaimedBackgroundRun]:
            now = clock.now()
            if body.ended:
                _finish(conn, body.worker, body.ended, now)
            return _claim(conn, body, now) if body.limit > 0 else []

        return self._db.write(action)

    def finish(self, body: BackgroundFinish) -> int:
        """Record how claimed runs ended (DONE); returns how many were still this worker's."""
        now = clock.now()

        return self._db.write(lambda conn: _finish(conn, body.worker, body.ended, now)) if body.ended else 0

    def heartbeat(self, body: TaskWorkerHeartbeat) -> None:
        """Record a task worker as alive and renew the leases of the runs it still runs."""
        now = clock.now()

        def action(conn: Connection) -> None:
            if body.running:
                conn.execute(update(queue).where(
                    queue.c.id.in_(body.running), queue.c.status == "CLAIMED", queue.c.worker == body.worker,
                ).values(lease_expires=now + body.lease_seconds))
            if body.stopping:
                conn.execute(delete(task_workers).where(task_workers.c.name == body.worker))
                return
            values = dict(task_keys=list(body.task_keys), limit=body.limit, host=body.host, pid=body.pid,
                          running=len(body.running), last_heartbeat=now)
            changed = conn.execute(update(task_workers).where(task_workers.c.name == body.worker).values(**values))
            if changed.rowcount == 0:
                conn.execute(insert(task_workers).values(name=body.worker, started=now, **values))

        self._db.write(action)

    def statuses(self, ids: list[str]) -> list[BackgroundRunStatus]:
        """Where each of these runs stands (runs not in the queue are left out)."""
        if not ids:
            return []

        def read(conn: Connection) -> list[BackgroundRunStatus]:
            rows = conn.execute(select(queue.c.id, queue.c.status, queue.c.state_type, queue.c.state_name,
                                       queue.c.state_message, queue.c.storage, queue.c.outcome)
                                .where(queue.c.id.in_(ids))).all()
            return [BackgroundRunStatus(task_run_id=r.id, status=r.status, state_type=r.state_type,
                                        state_name=r.state_name, state_message=r.state_message, storage=r.storage,
                                        outcome=_encode(r.outcome))
                    for r in rows]

        return self._db.read(read)

    def list_waiting(self, *, limit: int = 200) -> tuple[list[BackgroundRunInfo], dict[str, int]]:
        """The runs waiting or running (oldest first, at most `limit`) and their count per status."""
        def read(conn: Connection) -> tuple[list[BackgroundRunInfo], dict[str, int]]:
            rows = conn.execute(select(queue).where(queue.c.status.in_(_WAITING))
                                .order_by(queue.c.created, queue.c.id).limit(limit)).all()
            counts: dict[Any, Any] = dict(conn.execute(select(queue.c.status, func.count())
                                                       .group_by(queue.c.status)).all())
            return ([BackgroundRunInfo(task_run_id=r.id, name=r.name, task_name=r.task_name, task_key=r.task_key,
                                       status=r.status, worker=r.worker, claims=r.claims, created=as_utc(r.created))
                     for r in rows], {str(k): int(v) for k, v in counts.items()})

        return self._db.read(read)

    def list_task_workers(self) -> list[TaskWorkerInfo]:
        """The task workers by name, ONLINE when heard from within the last 30 s."""
        now = clock.now()

        def read(conn: Connection) -> list[TaskWorkerInfo]:
            rows = conn.execute(select(task_workers).order_by(task_workers.c.name)).all()
            return [TaskWorkerInfo(name=r.name, task_keys=list(r.task_keys or []), limit=r.limit, host=r.host,
                                   pid=r.pid, running=r.running, started=as_utc(r.started),
                                   last_heartbeat=as_utc(r.last_heartbeat),
                                   status="ONLINE" if r.last_heartbeat >= now - TASK_WORKER_OFFLINE_AFTER_S
                                   else "OFFLINE")
                    for r in rows]

        return self._db.read(read)


_built: dict[str, dict[str, Any]] = {}


def _finish(conn: Connection, worker: str, ended: list[BackgroundRunEnd], now: float) -> int:
    result = conn.execute(_statements(conn.dialect.name)["finish"], [dict(
        b_id=end.task_run_id, b_worker=worker, end_type=end.state_type, end_name=end.state_name,
        end_message=end.state_message, end_outcome=_decode(end.outcome), now=now) for end in ended])
    return max(int(result.rowcount), 0)


def _decode(text: str | None) -> bytes | None:
    import base64

    return base64.b64decode(text) if text is not None else None


def _encode(data: bytes | None) -> str | None:
    import base64

    return base64.b64encode(data).decode("ascii") if data is not None else None


def _statements(dialect: str) -> dict[str, Any]:
    """The statements of the queue's hot paths (queue, claim, finish), built once per dialect."""
    found = _built.get(dialect)
    if found is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects import postgresql as chosen
        else:
            from sqlalchemy.dialects import sqlite as chosen  # type: ignore[no-redef]  # one of the two dialects
        keys: Any = bindparam("keys", expanding=True)
        expired = queue.c.lease_expires < bindparam("now")
        oldest_first = (queue.c.created, queue.c.id)
        columns = (queue.c.id, queue.c.name, queue.c.task_key, queue.c.task_name, queue.c.storage, queue.c.retries,
                   queue.c.claims, queue.c.parameters)
        claim_expired = (select(*columns).where(queue.c.status == "CLAIMED", queue.c.task_key.in_(keys), expired)
                         .order_by(*oldest_first).limit(bindparam("n")))
        claim_fresh = (select(*columns).where(queue.c.status == "SCHEDULED", queue.c.task_key.in_(keys))
                       .order_by(*oldest_first).limit(bindparam("n")))
        if dialect == "postgresql":  # rows another claimer locked are skipped, not waited for
            claim_expired = claim_expired.with_for_update(skip_locked=True)
            claim_fresh = claim_fresh.with_for_update(skip_locked=True)
        found = _built[dialect] = {
            "any_scheduled": select(queue.c.id).where(queue.c.status == "SCHEDULED", queue.c.task_key.in_(keys))
            .limit(1),
            "any_expired": select(queue.c.id).where(queue.c.status == "CLAIMED", queue.c.task_key.in_(keys), expired)
            .limit(1),
            "claim_expired": claim_expired,
            "claim_fresh": claim_fresh,
            "take": update(queue).where(queue.c.id.in_(bindparam("ids", expanding=True))).values(
                status="CLAIMED", worker=bindparam("worker"), lease_expires=bindparam("lease_expires"),
                claims=queue.c.claims + 1, updated=bindparam("now")),
            "queue": chosen.insert(queue).on_conflict_do_nothing(),
            "task_run": chosen.insert(task_runs).on_conflict_do_nothing(),
            "state": insert(states),
            "finish": update(queue).where(
                queue.c.id == bindparam("b_id"), queue.c.status == "CLAIMED",
                queue.c.worker == bindparam("b_worker")).values(
                status="DONE", state_type=bindparam("end_type"), state_name=bindparam("end_name"),
                state_message=bindparam("end_message"), outcome=bindparam("end_outcome"), lease_expires=None,
                updated=bindparam("now")),
        }
    return found


def _claim(conn: Connection, body: BackgroundClaimRequest, now: float) -> list[ClaimedBackgroundRun]:
    # Statements built once (`_statements`): a claim runs under the write lock, and
    # building them each time cost more than running them.
    statements = _statements(conn.dialect.name)
    wanted = body.limit
    keys = list(body.task_keys)
    expired = conn.execute(statements["claim_expired"], dict(keys=keys, now=now, n=wanted)).all()
    chosen: list[tuple[Any, int]] = []  # (row, attempts made before this claim)
    if expired:
        counted = dict(conn.execute(select(task_runs.c.id, task_runs.c.run_count).where(
            task_runs.c.id.in_([r.id for r in expired]))).all())
        for row in expired:
            attempts = max(row.claims, int(counted.get(row.id) or 0))
            _record_lost_attempt(conn, row, attempts, now)
            if attempts <= row.retries:
                chosen.append((row, attempts))
    if len(chosen) < wanted:
        fresh = conn.execute(statements["claim_fresh"], dict(keys=keys, n=wanted - len(chosen))).all()
        chosen.extend((row, 0) for row in fresh)
    if not chosen:
        return []
    conn.execute(statements["take"], dict(ids=[row.id for row, _ in chosen], worker=body.worker,
                                          lease_expires=now + body.lease_seconds, now=now))
    return [ClaimedBackgroundRun.model_construct(  # the rows are ours: no validation on the claim's path
        task_run_id=row.id, name=row.name, task_key=row.task_key, task_name=row.task_name, storage=row.storage,
        run_count=attempts, retries=row.retries, parameters=_encode(row.parameters))
        for row, attempts in chosen]


def _record_lost_attempt(conn: Connection, row: Any, attempts: int, now: float) -> None:
    """A run whose worker stopped renewing its lease: Crashed in its history, then
    either scheduled again (retries left) or ended (DONE, Crashed)."""
    message = (f"the task worker running it stopped renewing its lease (attempt {attempts} of "
               f"{row.retries + 1}); it died or lost contact")
    history: list[dict[str, Any]] = [dict(flow_run_id=None, task_run_id=row.id, type="CRASHED", name="Crashed",
                                          message=message, timestamp=now, details=None)]
    final = attempts > row.retries
    if final:
        conn.execute(update(queue).where(queue.c.id == row.id).values(
            status="DONE", state_type="CRASHED", state_name="Crashed", state_message=message, lease_expires=None,
            updated=now))
        conn.execute(update(task_runs).where(task_runs.c.id == row.id).values(
            state_type="CRASHED", state_name="Crashed", state_message=message, state_timestamp=now, end_time=now,
            updated=now))
    else:
        later = now + 1e-6
        history.append(dict(flow_run_id=None, task_run_id=row.id, type="SCHEDULED", name="AwaitingRetry",
                            message=f"retry {attempts}/{row.retries}: {message}", timestamp=later, details=None))
        conn.execute(update(task_runs).where(task_runs.c.id == row.id).values(
            state_type="SCHEDULED", state_name="AwaitingRetry", state_message=history[-1]["message"],
            state_timestamp=later, updated=later))
    conn.execute(insert(states), history)
