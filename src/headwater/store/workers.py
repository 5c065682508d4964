"""Work pools, workers, and the atomic claim of due flow runs.

A claim moves due SCHEDULED runs to PENDING and names the worker, in one write
transaction that no other claimer can interleave with: rows are locked with
`FOR UPDATE SKIP LOCKED` on PostgreSQL (a second worker skips them instead of
waiting), and SQLite transactions start with `BEGIN IMMEDIATE` (one writer at a
time). A run is claimable while it is SCHEDULED and its due time is not the one it
was last claimed for (`claimed_start`): a flow run's own in-process retry (SCHEDULED
"AwaitingRetry", written by its engine) is not claimable, a retry asked through the
API (which sets a new due time) is. So no run is ever started by two workers.

Pool and deployment concurrency limits count the runs PENDING, RUNNING or
CANCELLING; a run that ends (Crashed included) frees its slot.

A run whose process died is ended here too (`crash_flow_run`, `crash_run`): Crashed,
then, while its deployment's `retries` are not used up, SCHEDULED again
("AwaitingRetry", due after the retry delay) for any worker to claim. Every attempt
counts: one that died before it began running adds one to `run_count`, so a run that
cannot even start is not retried for ever.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from headwater.core import clock
from headwater.core.ids import new_id
from headwater.core.job_templates import DEFAULT_TEMPLATES
from headwater.core.deployment_schemas import (
    ClaimedRun,
    ClaimRequest,
    CrashReport,
    WorkerHeartbeat,
    WorkerHeartbeatReply,
    WorkerInfo,
    WorkPoolCreate,
    WorkPoolInfo,
    WorkPoolStorage,
    WorkPoolUpdate,
)
from headwater.core.schemas import StateInfo
from headwater.core.states import StateType, check_transition
from headwater.exceptions import ObjectNotFound
from headwater.store.flow_runs import insert_ignoring
from headwater.store.maintenance import end_unfinished_task_runs
from headwater.store.reads import as_utc
from headwater.store.tables import deployments, flow_runs, states, work_pools, workers
from headwater.exceptions import ObjectAlreadyExists  # noqa: F401 (the one exception tree)

if TYPE_CHECKING:
    from headwater.store.database import Database

__all__ = ["ACTIVE_TYPES", "DEFAULT_POOL", "ObjectAlreadyExists", "Workers", "cancel_new_when_full", "crash_run", "ensure_default_pool",
           "pools_online", "read_pool_row"]

DEFAULT_POOL = "default"
"""The pool `headwater agent local start` serves; created on first use."""
ACTIVE_TYPES = ("PENDING", "RUNNING", "CANCELLING")
"""States that hold a concurrency slot of their pool and deployment."""
WORKER_OFFLINE_AFTER_S = 30.0


def read_pool_row(conn: Connection, name: str) -> Any:
    """The work pool row called `name`.

    Raises:
        ObjectNotFound: no such pool; the message says how to create it.
    """
    row = conn.execute(select(work_pools).where(work_pools.c.name == name)).first()
    if row is None:
        known = ", ".join(conn.execute(select(work_pools.c.name).order_by(work_pools.c.name).limit(10)).scalars())
        raise ObjectNotFound(f"no work pool named {name!r}: create it with `headwater work-pool create {name}`"
                             f" (pools: {known or 'none yet'})")
    return row


def ensure_default_pool(conn: Connection, name: str, now: float) -> str | None:
    """Create the default pool if `name` is it and it is missing; its id, or None for other names."""
    if name != DEFAULT_POOL:
        return None
    row = conn.execute(select(work_pools.c.id).where(work_pools.c.name == name)).first()
    if row is not None:
        return str(row.id)
    conn.execute(insert_ignoring(conn, work_pools).values(
        id=new_id(), name=name, type="process", description="The default pool.", concurrency_limit=None,
        paused=False, created=now, updated=now))
    return str(conn.execute(select(work_pools.c.id).where(work_pools.c.name == name)).scalar_one())


def _count_active(conn: Connection, column: Any, value: str) -> int:
    return int(conn.execute(select(func.count()).select_from(flow_runs).where(
        column == value, flow_runs.c.state_type.in_(ACTIVE_TYPES))).scalar_one())


def pools_online(conn: Connection, now: float) -> set[str]:
    """Ids of the pools with a worker that heartbeat recently."""
    return set(conn.execute(select(workers.c.work_pool_id).where(
        workers.c.last_heartbeat >= now - WORKER_OFFLINE_AFTER_S).distinct()).scalars())


class Workers:
    """Work pools, workers and claims over one `Database` (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- work pools ------------------------------------------------------------------

    def create_work_pool(self, body: WorkPoolCreate) -> WorkPoolInfo:
        """Create a work pool.

        Raises:
            ObjectAlreadyExists: a pool has this name.
        """

        def action(conn: Connection) -> None:
            if conn.execute(select(work_pools.c.id).where(work_pools.c.name == body.name)).first() is not None:
                raise ObjectAlreadyExists(f"a work pool named {body.name!r} exists already; change it with "
                                          f"`headwater work-pool update {body.name}`")
            now = clock.now()
            conn.execute(insert(work_pools).values(
                id=new_id(), name=body.name, type=body.type, description=body.description,
                concurrency_limit=body.concurrency_limit, paused=body.paused, created=now, updated=now,
                base_job_template=body.base_job_template or None,
                storage_configuration=body.storage_configuration.model_dump(mode="json", exclude_none=True) or None))

        self._db.write(action)
        return self.read_work_pool(body.name)

    def update_work_pool(self, name: str, body: WorkPoolUpdate) -> WorkPoolInfo:
        """Change a pool's description, concurrency limit or paused flag.

        Raises:
            ObjectNotFound: no such pool.
        """
        values: dict[str, Any] = body.model_dump(exclude_unset=True, exclude={"clear_concurrency_limit"})
        if body.clear_concurrency_limit:
            values["concurrency_limit"] = None
        if body.storage_configuration is not None:  # the JSON column; None there: nothing configured
            values["storage_configuration"] = body.storage_configuration.model_dump(mode="json", exclude_none=True) or None

        def action(conn: Connection) -> None:
            row = read_pool_row(conn, name)
            conn.execute(update(work_pools).where(work_pools.c.id == row.id).values(updated=clock.now(), **values))

        self._db.write(action)
        return self.read_work_pool(name)

    def read_work_pool(self, name: str) -> WorkPoolInfo:
        """Read a pool by name.

        Raises:
            ObjectNotFound: no such pool.
        """
        found = self.list_work_pools(name=name)
        if not found:
            self._db.read(lambda conn: read_pool_row(conn, name))  # raises, listing the pools
        return found[0]

    def list_work_pools(self, *, name: str | None = None) -> list[WorkPoolInfo]:
        """Every work pool by name, with its workers online and runs in progress."""
        now = clock.now()

        def read(conn: Connection) -> list[WorkPoolInfo]:
            query = select(work_pools).order_by(work_pools.c.name)
            if name is not None:
                query = query.where(work_pools.c.name == name)
            pools = conn.execute(query).all()
            online: dict[str, int] = dict(conn.execute(
                select(workers.c.work_pool_id, func.count()).where(
                    workers.c.last_heartbeat >= now - WORKER_OFFLINE_AFTER_S).group_by(workers.c.work_pool_id)).all())
            active: dict[str, int] = dict(conn.execute(
                select(flow_runs.c.work_pool_id, func.count()).where(
                    flow_runs.c.work_pool_id.in_([p.id for p in pools]), flow_runs.c.state_type.in_(ACTIVE_TYPES))
                .group_by(flow_runs.c.work_pool_id)).all()) if pools else {}
            return [
                WorkPoolInfo(id=p.id, name=p.name, type=p.type, description=p.description,
                             concurrency_limit=p.concurrency_limit, paused=p.paused,
                             status="PAUSED" if p.paused else ("READY" if online.get(p.id) else "NOT_READY"),
                             workers_online=online.get(p.id, 0), active_runs=active.get(p.id, 0),
                             created=as_utc(p.created),
                             base_job_template=p.base_job_template or DEFAULT_TEMPLATES.get(p.type, {}),
                             storage_configuration=WorkPoolStorage.model_validate(p.storage_configuration or {}))
                for p in pools
            ]

        return self._db.read(read)

    # -- workers ---------------------------------------------------------------------

    def worker_heartbeat(self, body: WorkerHeartbeat) -> WorkerHeartbeatReply:
        """Record that a worker (or a `serve` process) is alive; tell it which of its
        running flow runs were cancelled (CANCELLING, or CANCELLED before they started).

        Raises:
            ObjectNotFound: the worker's pool does not exist (the default pool is
                created on first use).
        """

        def action(conn: Connection) -> WorkerHeartbeatReply:
            now = clock.now()
            worker_id = None
            if body.work_pool_name is not None:
                pool_id = ensure_default_pool(conn, body.work_pool_name, now) or read_pool_row(
                    conn, body.work_pool_name).id
                row = conn.execute(select(workers.c.id).where(workers.c.work_pool_id == pool_id,
                                                              workers.c.name == body.name)).first()
                values = dict(limit=body.limit, host=body.host, pid=body.pid, last_heartbeat=now)
                if row is None:
                    worker_id = new_id()
                    conn.execute(insert(workers).values(id=worker_id, name=body.name, work_pool_id=pool_id,
                                                        started=now, **values))
                else:
                    worker_id = row.id
                    conn.execute(update(workers).where(workers.c.id == worker_id).values(**values))
                conn.execute(update(deployments).where(deployments.c.work_pool_id == pool_id)
                             .values(last_polled=now))
            if body.deployment_ids:
                conn.execute(update(deployments).where(deployments.c.id.in_(body.deployment_ids))
                             .values(last_polled=now))
            cancel: list[str] = []
            if body.running:
                cancel = list(conn.execute(select(flow_runs.c.id).where(
                    flow_runs.c.id.in_(body.running), flow_runs.c.state_type.in_(("CANCELLING", "CANCELLED"))
                )).scalars())
            return WorkerHeartbeatReply(worker_id=worker_id, cancel=cancel)

        return self._db.write(action)

    def list_workers(self, *, work_pool_name: str | None = None) -> list[WorkerInfo]:
        """Workers by pool and name, with their status and the runs they have in progress."""
        now = clock.now()

        def read(conn: Connection) -> list[WorkerInfo]:
            query = (select(workers, work_pools.c.name.label("pool_name"))
                     .join(work_pools, work_pools.c.id == workers.c.work_pool_id)
                     .order_by(work_pools.c.name, workers.c.name))
            if work_pool_name is not None:
                query = query.where(work_pools.c.name == work_pool_name)
            rows = conn.execute(query).all()
            running: dict[str, list[str]] = {}
            if rows:
                for run_id, worker_id in conn.execute(select(flow_runs.c.id, flow_runs.c.worker_id).where(
                        flow_runs.c.worker_id.in_([r.id for r in rows]), flow_runs.c.state_type.in_(ACTIVE_TYPES))):
                    running.setdefault(worker_id, []).append(run_id)
            return [
                WorkerInfo(id=r.id, name=r.name, work_pool_name=r.pool_name, limit=r.limit, host=r.host, pid=r.pid,
                           status="ONLINE" if r.last_heartbeat >= now - WORKER_OFFLINE_AFTER_S else "OFFLINE",
                           started=as_utc(r.started), last_heartbeat=as_utc(r.last_heartbeat),
                           running=sorted(running.get(r.id, [])))
                for r in rows
            ]

        return self._db.read(read)

    # -- claims ----------------------------------------------------------------------

    def claim_runs(self, body: ClaimRequest) -> list[ClaimedRun]:
        """Atomically claim up to `body.limit` runs due within `body.prefetch_seconds`,
        of a pool (`work_pool_name`) or of some deployments (`deployment_ids`, for
        `serve`), oldest due first, within the pool's and deployments' concurrency limits.

        Raises:
            ObjectNotFound: the pool does not exist.
        """
        if body.limit <= 0 or (body.work_pool_name is None and not body.deployment_ids):
            return []
        return self._db.write(lambda conn: _claim(conn, body, clock.now()))

    def crash_orphaned_claims(self, now: float, after_seconds: float, *, batch_size: int = 500) -> list[str]:
        """Mark Crashed the claimed runs still PENDING `after_seconds` after they were due
        and claimed: the worker (and the process it started) died before the run began.

        Returns:
            the ids of the runs marked.
        """
        cutoff = now - after_seconds
        message = (f"claimed by a worker but not started within {after_seconds:g} s of its due time: the worker or "
                   "the process it started died; marked Crashed by the server")

        def action(conn: Connection) -> list[str]:
            stale = (flow_runs.c.state_type == "PENDING") & flow_runs.c.claimed_start.isnot(None) & (
                flow_runs.c.state_timestamp < cutoff) & (flow_runs.c.expected_start_time < cutoff)
            query = select(flow_runs.c.id).where(stale).order_by(flow_runs.c.id).limit(batch_size)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            ids = list(conn.execute(query).scalars())
            for flow_run_id in ids:  # each its own Crashed, then its deployment's retries
                crash_run(conn, flow_run_id, message, now)
            return ids

        return self._db.write(action)

    def crash_flow_run(self, report: CrashReport) -> StateInfo:
        """End a claimed run whose process died: Crashed, then scheduled again while its
        deployment's retries last (see the module docstring and `crash_run`).

        Returns:
            the state the run is left in.

        Raises:
            ObjectNotFound: no flow run has this id.
        """
        return self._db.write(lambda conn: crash_run(
            conn, report.flow_run_id, report.message, clock.now(), claimed_start=report.claimed_start,
            retry=report.retry))


_ENDED = ("COMPLETED", "FAILED", "CANCELLED")


def crash_run(conn: Connection, flow_run_id: str, message: str, now: float, *, claimed_start: float | None = None,
              retry: bool = True) -> StateInfo:
    """Inside a write transaction: mark a run whose process died Crashed, and schedule it
    again when `retry` and its deployment's retries are not used up. Returns its state.

    Nothing changes when the run's engine recorded how it ended (Completed, Failed,
    Cancelled), when it was claimed again since `claimed_start`, or when it already waits
    for another attempt: so a report sent twice retries once. A run its engine recorded
    Crashed itself (an interrupting signal) gets the same retries. A run that was being
    cancelled is not retried.

    Raises:
        ObjectNotFound: no flow run has this id.
    """
    query = select(flow_runs.c.state_type, flow_runs.c.state_name, flow_runs.c.state_message,
                   flow_runs.c.state_timestamp, flow_runs.c.run_count, flow_runs.c.claimed_start,
                   flow_runs.c.expected_start_time, flow_runs.c.deployment_id).where(flow_runs.c.id == flow_run_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise ObjectNotFound(f"no flow run with id '{flow_run_id}'.")
    unchanged = StateInfo(type=row.state_type or "PENDING", name=row.state_name or "Pending",
                          message=row.state_message, timestamp=as_utc(row.state_timestamp or now))
    if claimed_start is not None and row.claimed_start != claimed_start:
        return unchanged  # claimed again (or never by this claim): an old report
    if row.state_type in _ENDED or (row.state_type == "SCHEDULED" and row.expected_start_time != row.claimed_start):
        return unchanged  # it ended on its own, or waits for its next attempt already
    if row.state_type == "PAUSED":
        return unchanged  # suspended: its process left on purpose, to run again when resumed
    attempts = row.run_count
    if row.state_type != "CRASHED":
        check_transition(StateType(row.state_type) if row.state_type else None, StateType.CRASHED)
        values: dict[str, Any] = dict(state_type="CRASHED", state_name="Crashed", state_message=message,
                                      state_timestamp=now, end_time=now, updated=now)
        if row.state_type in (None, "PENDING"):  # it died before it began running: the attempt still counts
            values["run_count"] = flow_runs.c.run_count + 1
            attempts += 1
        conn.execute(update(flow_runs).where(flow_runs.c.id == flow_run_id).values(**values))
        conn.execute(insert(states).values(flow_run_id=flow_run_id, task_run_id=None, type="CRASHED", name="Crashed",
                                           message=message, timestamp=now, details=None))
    # Its task runs in flight died with it (a retry starts new ones).
    end_unfinished_task_runs(conn, [flow_run_id], "CRASHED", "Crashed", message, now)
    crashed = StateInfo(type="CRASHED", name="Crashed", message=message, timestamp=as_utc(now))
    if not retry or row.state_type == "CANCELLING" or row.deployment_id is None:
        return crashed
    policy = conn.execute(select(deployments.c.retries, deployments.c.retry_delay_seconds)
                          .where(deployments.c.id == row.deployment_id)).first()
    retries = (policy.retries or 0) if policy is not None else 0
    attempts = max(attempts, 1)
    if policy is None or attempts > retries:
        return crashed
    delays = list(policy.retry_delay_seconds or [])
    due = now + (float(delays[min(attempts, len(delays)) - 1]) if delays else 0.0)
    if row.expected_start_time is not None and due <= row.expected_start_time:
        # Claimed ahead and died before its time: not earlier than planned, and not at the
        # very due time it was claimed for (that one is not claimable again).
        due = row.expected_start_time + 0.001
    check_transition(StateType.CRASHED, StateType.SCHEDULED)
    later = now + 1e-6  # after the Crashed state, in history's order
    text = f"retry {attempts}/{retries} of a flow run whose process died: {message}"[:100_000]
    details = {"scheduled_time": as_utc(due).isoformat(), "after": "crash"}
    conn.execute(update(flow_runs).where(flow_runs.c.id == flow_run_id).values(
        state_type="SCHEDULED", state_name="AwaitingRetry", state_message=text, state_timestamp=later,
        end_time=None, updated=later, expected_start_time=due, worker_id=None, process=None))
    conn.execute(insert(states).values(flow_run_id=flow_run_id, task_run_id=None, type="SCHEDULED",
                                       name="AwaitingRetry", message=text, timestamp=later, details=details))
    return StateInfo(type="SCHEDULED", name="AwaitingRetry", message=text, timestamp=as_utc(later), details=details)


CONCURRENCY_LIMIT_REACHED = "Deployment concurrency limit reached."


def _cancel_new(conn: Connection, run_ids: list[str], now: float) -> None:
    """Cancel due runs of CANCEL_NEW deployments whose limit is full (Prefect's state and message)."""
    conn.execute(update(flow_runs).where(flow_runs.c.id.in_(run_ids), flow_runs.c.state_type == "SCHEDULED").values(
        state_type="CANCELLED", state_name="Cancelled", state_message=CONCURRENCY_LIMIT_REACHED,
        state_timestamp=now, updated=now, end_time=now))
    conn.execute(insert(states), [
        dict(flow_run_id=i, task_run_id=None, type="CANCELLED", name="Cancelled", message=CONCURRENCY_LIMIT_REACHED,
             timestamp=now, details=None) for i in run_ids])


def cancel_new_when_full(conn: Connection, run_ids: list[str], now: float) -> list[str]:
    """Cancel those of these SCHEDULED runs whose deployment uses CANCEL_NEW and whose
    limit is full (Prefect cancels a run about to be marked Late then); their ids."""
    rows = conn.execute(
        select(flow_runs.c.id, deployments.c.id.label("deployment_id"), deployments.c.concurrency_limit,
               deployments.c.concurrency_options)
        .join(deployments, deployments.c.id == flow_runs.c.deployment_id)
        .where(flow_runs.c.id.in_(run_ids), deployments.c.concurrency_limit.isnot(None))).all()
    full: dict[str, bool] = {}
    chosen: list[str] = []
    for row in rows:
        if (row.concurrency_options or {}).get("collision_strategy") != "CANCEL_NEW":
            continue
        if row.deployment_id not in full:
            full[row.deployment_id] = _count_active(conn, flow_runs.c.deployment_id,
                                                    row.deployment_id) >= row.concurrency_limit
        if full[row.deployment_id]:
            chosen.append(row.id)
    if chosen:
        _cancel_new(conn, chosen, now)
    return chosen


def _claim(conn: Connection, body: ClaimRequest, now: float) -> list[ClaimedRun]:
    postgres = conn.dialect.name == "postgresql"
    capacity = body.limit
    due = (flow_runs.c.state_type == "SCHEDULED") & flow_runs.c.deployment_id.isnot(None) & (
        flow_runs.c.expected_start_time <= now + body.prefetch_seconds) & (
        flow_runs.c.claimed_start.is_(None) | (flow_runs.c.claimed_start != flow_runs.c.expected_start_time))
    worker_name = "serve"
    if body.work_pool_name is not None:
        pool = read_pool_row(conn, body.work_pool_name)
        if pool.paused:
            return []
        if pool.concurrency_limit is not None:
            if postgres:  # claimers of a limited pool take turns: the count below stays true
                conn.execute(select(work_pools.c.id).where(work_pools.c.id == pool.id).with_for_update())
            capacity = min(capacity, pool.concurrency_limit - _count_active(conn, flow_runs.c.work_pool_id, pool.id))
        due = due & (flow_runs.c.work_pool_id == pool.id)
    if body.deployment_ids:
        due = due & flow_runs.c.deployment_id.in_(body.deployment_ids)
    if body.worker_id is not None:
        name = conn.execute(select(workers.c.name).where(workers.c.id == body.worker_id)).scalar()
        worker_name = name or body.worker_id
    if capacity <= 0:
        return []
    query = (select(flow_runs.c.id, flow_runs.c.deployment_id, flow_runs.c.expected_start_time).where(due)
             .order_by(flow_runs.c.expected_start_time, flow_runs.c.id).limit(capacity + 20))
    if postgres:
        query = query.with_for_update(skip_locked=True)
    candidates = conn.execute(query).all()
    if not candidates:
        return []
    deployment_ids = sorted({c.deployment_id for c in candidates})
    limited_query = select(deployments.c.id, deployments.c.concurrency_limit, deployments.c.concurrency_options).where(
        deployments.c.id.in_(deployment_ids), deployments.c.concurrency_limit.isnot(None)).order_by(deployments.c.id)
    if postgres:
        limited_query = limited_query.with_for_update()
    limited = conn.execute(limited_query).all()
    room = {row.id: row.concurrency_limit - _count_active(conn, flow_runs.c.deployment_id, row.id) for row in limited}
    cancel_new = {row.id for row in limited
                  if (row.concurrency_options or {}).get("collision_strategy") == "CANCEL_NEW"}
    chosen: list[str] = []
    cancelled: list[str] = []
    for candidate in candidates:
        if len(chosen) >= capacity:
            break
        left = room.get(candidate.deployment_id)
        if left is not None:
            if left <= 0:
                # ENQUEUE: the run waits for a slot. CANCEL_NEW: a run due now is cancelled
                # (one due later, within the prefetch window, is judged when it is due).
                if candidate.deployment_id in cancel_new and candidate.expected_start_time <= now:
                    cancelled.append(candidate.id)
                continue
            room[candidate.deployment_id] = left - 1
        chosen.append(candidate.id)
    if cancelled:
        _cancel_new(conn, cancelled, now)
    if not chosen:
        return []
    message = f"claimed by worker {worker_name!r}"
    conn.execute(update(flow_runs).where(flow_runs.c.id.in_(chosen), flow_runs.c.state_type == "SCHEDULED").values(
        state_type="PENDING", state_name="Pending", state_message=message, state_timestamp=now, updated=now,
        end_time=None, worker_id=body.worker_id, claimed_start=flow_runs.c.expected_start_time,
        process=None))  # an earlier attempt's process, gone, must not end this one (server/services/zombies.py)
    conn.execute(insert(states), [
        dict(flow_run_id=i, task_run_id=None, type="PENDING", name="Pending", message=message, timestamp=now,
             details={"worker": worker_name}) for i in chosen])
    rows = conn.execute(
        select(flow_runs.c.id, flow_runs.c.name, flow_runs.c.flow_name, flow_runs.c.parameters,
               flow_runs.c.expected_start_time, flow_runs.c.run_count, flow_runs.c.deployment_id,
               flow_runs.c.job_variables, deployments.c.job_variables.label("deployment_job_variables"),
               deployments.c.pull_steps, deployments.c.name.label("deployment_name"), deployments.c.entrypoint)
        .join(deployments, deployments.c.id == flow_runs.c.deployment_id)
        .where(flow_runs.c.id.in_(chosen)).order_by(flow_runs.c.expected_start_time, flow_runs.c.id)).all()
    return [
        ClaimedRun(flow_run_id=r.id, flow_run_name=r.name, flow_name=r.flow_name, deployment_id=r.deployment_id,
                   deployment_name=r.deployment_name, entrypoint=r.entrypoint, parameters=r.parameters or {},
                   scheduled_time=r.expected_start_time, run_count=r.run_count, pull_steps=r.pull_steps,
                   job_variables={**(r.deployment_job_variables or {}), **(r.job_variables or {})},
                   run_job_variables=r.job_variables or {})
        for r in rows
    ]
