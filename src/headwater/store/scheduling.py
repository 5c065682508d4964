"""The scheduler's queries: runs created ahead from schedules, catch-up, backfills.

Scheduled runs get ids made from their deployment and due time (`scheduled_run_id`),
and are inserted ignoring ones that exist: two schedulers running side by side (a
server with several processes, or a worker and a server) create each run once.
`Scheduling` is the store's repository of these (`store.scheduling`); every write is
one short transaction through the store's `Database` (store/database.py).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from headwater.core import clock
from headwater.core.deployment_schemas import BackfillResult
from headwater.core.schedules import ScheduleError, instants_between, schedule_from_dict
from headwater.store.flow_runs import ensure_flow_row, insert_ignoring
from headwater.store.reads import as_utc
from headwater.store.tables import deployment_schedules, deployments, flow_runs, states

if TYPE_CHECKING:
    from headwater.core.deployment_schemas import DeploymentInfo
    from headwater.store.database import Database

__all__ = ["AUTO_SCHEDULED_TAG", "BACKFILL_TAG", "Scheduling", "insert_scheduled_run", "is_auto_scheduled",
           "scheduled_run_id"]

AUTO_SCHEDULED_TAG = "auto-scheduled"
"""Tag of the runs the scheduler creates (Prefect's name): only these are ever skipped."""
BACKFILL_TAG = "backfill"


def scheduled_run_id(deployment_id: str, instant: float) -> str:
    """The id of a deployment's run due at `instant`: the same in every process.

    Laid out like the engine's ids (milliseconds first, version 7), so runs still sort
    by time; the other 74 bits come from a hash of the deployment and the instant.
    """
    digest = int.from_bytes(hashlib.sha256(f"{deployment_id}@{instant:.3f}".encode()).digest()[:10], "big")
    value = (int(instant * 1000) << 80) | (0x7 << 76) | (((digest >> 62) & 0xFFF) << 64) | (0b10 << 62) \
        | (digest & ((1 << 62) - 1))
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def is_auto_scheduled(tags: Any) -> bool:
    """Whether a run's tags mark it as made by the scheduler."""
    return isinstance(tags, list) and AUTO_SCHEDULED_TAG in tags


def insert_scheduled_run(conn: Connection, deployment: Any, *, run_id: str, due: float, now: float,
                         parameters: dict[str, Any], tags: list[str], name: str | None = None,
                         message: str | None = None, parent_task_run_id: str | None = None,
                         job_variables: dict[str, Any] | None = None) -> bool:
    """Insert a SCHEDULED run of `deployment` due at `due`; False if the id exists."""
    import coolname

    flow_id = ensure_flow_row(conn, deployment.flow_name, now)
    inserted = conn.execute(insert_ignoring(conn, flow_runs).values(
        id=run_id, flow_id=flow_id, flow_name=deployment.flow_name, name=name or coolname.generate_slug(2),
        parameters=parameters, tags=tags, parent_task_run_id=parent_task_run_id, state_type="SCHEDULED",
        state_name="Scheduled", state_message=message, state_timestamp=now, start_time=None, end_time=None,
        run_count=0, created=now, updated=now, heartbeat=None, deployment_id=deployment.id,
        expected_start_time=due, work_pool_id=deployment.work_pool_id, worker_id=None, claimed_start=None,
        job_variables=job_variables,
    ).returning(flow_runs.c.id)).first()
    if inserted is None:
        return False
    conn.execute(insert(states).values(
        flow_run_id=run_id, task_run_id=None, type="SCHEDULED", name="Scheduled", message=message, timestamp=now,
        details={"scheduled_time": as_utc(due).isoformat(), "deployment_id": deployment.id},
    ))
    return True


class Scheduling:
    """The scheduler's pass, catch-up and backfills over one `Database` (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def schedule_runs(self, now: float, *, horizon_seconds: float = 3600.0, max_runs: int = 100,
                      late_after_seconds: float = 15.0, deployment_ids: Sequence[str] | None = None) -> int:
        """Create the runs the active schedules of unpaused deployments have due up to
        `now + horizon_seconds` (at most `max_runs` per schedule per pass).

        Instants missed while nothing scheduled (older than `late_after_seconds`) follow
        the deployment's catch-up policy: "all" are created, "latest" only the newest,
        "skip" none.

        Returns:
            how many runs were created.
        """
        query = (select(deployment_schedules.c.id, deployment_schedules.c.deployment_id)
                 .join(deployments, deployments.c.id == deployment_schedules.c.deployment_id)
                 .where(deployment_schedules.c.active.is_(True), deployments.c.paused.is_(False)))
        if deployment_ids is not None:
            query = query.where(deployment_schedules.c.deployment_id.in_(list(deployment_ids)))
        pairs = self._db.read(lambda conn: conn.execute(query).all())
        created = 0
        for schedule_id, _ in pairs:
            created += self._db.write(functools.partial(
                _schedule_one, schedule_id=schedule_id, now=now, horizon=horizon_seconds, max_runs=max_runs,
                late_after=late_after_seconds))
        return created

    def skip_late_runs(self, now: float, late_after_seconds: float) -> list[str]:
        """Apply catch-up policies to scheduler-made runs later than `late_after_seconds`:
        "skip" skips them all, "latest" all but the newest due run of each deployment.

        Skipped runs end Cancelled, named "Skipped", with the reason in the message.

        Returns:
            the ids of the runs skipped.
        """

        def action(conn: Connection) -> list[str]:
            rows = conn.execute(
                select(flow_runs.c.id, flow_runs.c.tags, flow_runs.c.expected_start_time,
                       flow_runs.c.deployment_id, deployments.c.catchup)
                .join(deployments, deployments.c.id == flow_runs.c.deployment_id)
                .where(deployments.c.catchup.in_(["skip", "latest"]), flow_runs.c.state_type == "SCHEDULED",
                       flow_runs.c.claimed_start.is_(None), flow_runs.c.expected_start_time <= now)
                .order_by(flow_runs.c.expected_start_time.desc())).all()
            kept: set[str] = set()
            skipped: list[tuple[str, str, float]] = []
            for row in rows:
                if not is_auto_scheduled(row.tags):
                    continue
                if row.catchup == "latest" and row.deployment_id not in kept:
                    kept.add(row.deployment_id)  # the newest due run of this deployment runs
                    continue
                if row.expected_start_time < now - late_after_seconds:
                    skipped.append((row.id, row.catchup, row.expected_start_time))
            for run_id, policy, due in skipped:
                message = (f"skipped: due {as_utc(due).isoformat()}, {now - due:.0f} s late, and the deployment's "
                           f"catch-up policy is {policy!r}")
                conn.execute(update(flow_runs).where(flow_runs.c.id == run_id, flow_runs.c.state_type == "SCHEDULED")
                             .values(state_type="CANCELLED", state_name="Skipped", state_message=message,
                                     state_timestamp=now, end_time=now, updated=now))
                conn.execute(insert(states).values(flow_run_id=run_id, task_run_id=None, type="CANCELLED",
                                                   name="Skipped", message=message, timestamp=now, details=None))
            return [run_id for run_id, _, _ in skipped]

        return self._db.write(action)

    def backfill(self, info: DeploymentInfo, start: float, end: float, *, limit: int = 1000) -> BackfillResult:
        """Create the runs the deployment's active schedules had due in [start, end].

        Runs that exist already (created by the scheduler or an earlier backfill) are
        left as they are; backfilled runs are never skipped by the catch-up policy.
        """
        instants: set[float] = set()
        for s in info.schedules:
            if s.active:
                instants.update(instants_between(schedule_from_dict(s.schedule), start - 1e-6, end, limit))
        due_times = sorted(instants)[:limit]

        def action(conn: Connection) -> tuple[int, list[str]]:
            now = clock.now()
            row = conn.execute(select(deployments).where(deployments.c.id == info.id)).one()
            made, ids = 0, []
            for due in due_times:
                run_id = scheduled_run_id(info.id, due)
                ids.append(run_id)
                made += insert_scheduled_run(conn, row, run_id=run_id, due=due, now=now,
                                             parameters=dict(info.parameters),
                                             tags=sorted(set(info.tags) | {BACKFILL_TAG}),
                                             message="created by a backfill")
            return made, ids

        made, ids = self._db.write(action)
        return BackfillResult(created=made, existing=len(ids) - made, flow_run_ids=ids)


def _schedule_one(conn: Connection, schedule_id: str, now: float, horizon: float, max_runs: int,
                  late_after: float) -> int:
    row = conn.execute(select(deployment_schedules).where(deployment_schedules.c.id == schedule_id)).first()
    if row is None or not row.active:
        return 0
    deployment = conn.execute(select(deployments).where(deployments.c.id == row.deployment_id)).first()
    if deployment is None or deployment.paused:
        return 0
    try:
        schedule = schedule_from_dict(row.schedule)
    except ScheduleError:
        return 0  # refused when created; a stored one that fails now is left alone
    after = row.scheduled_through if row.scheduled_through is not None else now
    until = now + horizon
    instants = instants_between(schedule, after, until, max_runs)
    through = instants[-1] if len(instants) >= max_runs else until
    missed = [t for t in instants if t < now - late_after]
    if missed and deployment.catchup != "all":
        current = [t for t in instants if t >= now - late_after]
        # "latest": the newest missed instant, unless one due now supersedes it.
        keep = missed[-1:] if deployment.catchup == "latest" and not any(t <= now for t in current) else []
        instants = keep + current
    created = 0
    tags = sorted(set(deployment.tags or []) | {AUTO_SCHEDULED_TAG})
    for due in instants:
        created += insert_scheduled_run(conn, deployment, run_id=scheduled_run_id(deployment.id, due), due=due,
                                        now=now, parameters=dict(deployment.parameters or {}), tags=tags)
    conn.execute(update(deployment_schedules).where(deployment_schedules.c.id == schedule_id)
                 .values(scheduled_through=through, updated=now))
    return created
