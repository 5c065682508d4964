"""The server's background services' queries: Late runs, zombies, retention.

Each method does a bounded amount of work in one short write transaction (at most
`batch_size` runs), so a service never holds the database for long; the service
calls it again until it reports nothing left to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.engine import Connection

from headwater.core.states import FINAL_TYPES
from headwater.store.tables import (
    background_task_runs,
    flow_run_input,
    flow_runs,
    logs,
    received_batches,
    states,
    task_run_inputs,
    task_runs,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from headwater.store.database import Database

__all__ = ["Maintenance", "delete_flow_runs", "end_unfinished_task_runs"]

_FINAL = [t.value for t in FINAL_TYPES]


def delete_flow_runs(conn: Connection, ids: list[str]) -> int:
    """Delete flow runs and everything recorded under them; returns flow runs deleted."""
    if not ids:
        return 0
    tasks = select(task_runs.c.id).where(task_runs.c.flow_run_id.in_(ids)).scalar_subquery()
    conn.execute(delete(task_run_inputs).where(task_run_inputs.c.task_run_id.in_(tasks)))
    conn.execute(delete(states).where(states.c.task_run_id.in_(tasks)))
    conn.execute(delete(logs).where(logs.c.flow_run_id.in_(ids)))
    conn.execute(delete(states).where(states.c.flow_run_id.in_(ids)))
    conn.execute(delete(flow_run_input).where(flow_run_input.c.flow_run_id.in_(ids)))
    conn.execute(delete(task_runs).where(task_runs.c.flow_run_id.in_(ids)))
    return int(conn.execute(delete(flow_runs).where(flow_runs.c.id.in_(ids))).rowcount)


def end_unfinished_task_runs(conn: Connection, flow_run_ids: list[str], state_type: str, state_name: str,
                             message: str | None, now: float) -> list[str]:
    """Inside a write transaction: end the unfinished task runs of flow runs that ended
    without their engine (a killed process, a zombie, a cancel that needed SIGKILL), in
    the flow run's own final state. Returns the task runs' ids."""
    unfinished = and_(task_runs.c.flow_run_id.in_(flow_run_ids),
                      or_(task_runs.c.state_type.is_(None), task_runs.c.state_type.notin_(_FINAL)))
    task_ids = list(conn.execute(select(task_runs.c.id).where(unfinished)).scalars())
    if task_ids:
        conn.execute(update(task_runs).where(task_runs.c.id.in_(task_ids)).values(
            state_type=state_type, state_name=state_name, state_message=message, state_timestamp=now, end_time=now,
            updated=now))
        conn.execute(insert(states), [
            dict(flow_run_id=None, task_run_id=task_id, type=state_type, name=state_name, message=message,
                 timestamp=now, details=None)
            for task_id in task_ids
        ])
    return task_ids


def _without_live_runs(conn: Connection, ids: list[str], cutoff: float) -> list[str]:
    """Of stale flow runs `ids`, those not provably alive (see `crash_zombie_runs`)."""
    if not ids:
        return ids
    from headwater.core.liveness import is_provably_alive
    from headwater.store.tables import concurrency_leases, workers

    alive: set[str] = set()
    for (holder,) in conn.execute(select(concurrency_leases.c.holder)):
        if isinstance(holder, dict) and is_provably_alive(holder):
            run_id = holder.get("id") if holder.get("type") == "flow_run" else holder.get("flow_run_id")
            if run_id is not None:
                alive.add(str(run_id))
    watched = select(flow_runs.c.id).join(workers, workers.c.id == flow_runs.c.worker_id).where(
        flow_runs.c.id.in_(ids), workers.c.last_heartbeat >= cutoff)
    alive.update(conn.execute(watched).scalars())
    # The run's own process, recorded by its engine, running on this host (store/processes.py).
    from headwater.store.processes import is_alive, this_host

    recorded = select(flow_runs.c.id, flow_runs.c.process).where(flow_runs.c.id.in_(ids), flow_runs.c.process.isnot(None))
    alive.update(run_id for run_id, process in conn.execute(recorded) if is_alive(process, this_host()))
    return [run_id for run_id in ids if run_id not in alive]


class Maintenance:
    """The background services' queries over one `Database` (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def mark_late_runs(self, now: float, late_after_seconds: float, *, batch_size: int = 500) -> list[str]:
        """Rename SCHEDULED runs due more than `late_after_seconds` ago to "Late" (or cancel
        them when their deployment's limit is full and its strategy is CANCEL_NEW).

        Returns:
            the ids of the runs marked (at most `batch_size`).
        """
        cutoff = now - late_after_seconds

        def action(conn: Connection) -> list[str]:
            due = (flow_runs.c.state_type == "SCHEDULED") & (flow_runs.c.state_name == "Scheduled") & (
                flow_runs.c.expected_start_time <= cutoff
            )
            ids = list(conn.execute(select(flow_runs.c.id).where(due).limit(batch_size)).scalars())
            if ids:
                # Imported here: store/workers.py imports this module (through flow_runs.py).
                from headwater.store.workers import cancel_new_when_full

                cancelled = set(cancel_new_when_full(conn, ids, now))
                ids = [run_id for run_id in ids if run_id not in cancelled]
            if ids:
                conn.execute(update(flow_runs).where(flow_runs.c.id.in_(ids), due).values(
                    state_name="Late", state_timestamp=now, updated=now))
                conn.execute(insert(states), [
                    dict(flow_run_id=run_id, task_run_id=None, type="SCHEDULED", name="Late", message=None,
                         timestamp=now, details=None)
                    for run_id in ids
                ])
            return ids

        return self._db.write(action)

    def crash_zombie_runs(self, now: float, zombie_after_seconds: float, *, batch_size: int = 500) -> list[str]:
        """Mark Crashed the RUNNING flow runs whose last heartbeat is older than
        `zombie_after_seconds`, with their unfinished task runs.

        Runs that never sent a heartbeat (driven through the API by hand) are left alone,
        and so are runs provably alive whatever their heartbeat (a task holding the GIL
        stops it): the run's recorded process running on this host (store/processes.py),
        a concurrency lease holder of the run whose process runs on this host
        (core/liveness.py), or a worker that claimed the run and still heartbeats (it
        watches the run's process and reports its end itself).
        A run of a deployment with retries left is then scheduled again, as for a run
        whose worker saw its process die (`store/workers.py` `crash_run`).

        Returns:
            the ids of the flow runs marked (at most `batch_size`).
        """
        cutoff = now - zombie_after_seconds
        message = (
            f"the process running this flow run stopped sending heartbeats for more than "
            f"{zombie_after_seconds:g} s (killed, or its machine lost); marked Crashed by the server"
        )

        def action(conn: Connection) -> list[str]:
            stale = (flow_runs.c.state_type == "RUNNING") & flow_runs.c.heartbeat.isnot(None) & (
                flow_runs.c.heartbeat < cutoff
            )
            ids = list(conn.execute(select(flow_runs.c.id).where(stale).limit(batch_size)).scalars())
            ids = _without_live_runs(conn, ids, cutoff)
            if not ids:
                return ids
            crashed = dict(state_type="CRASHED", state_name="Crashed", state_message=message, state_timestamp=now,
                           end_time=now, updated=now)
            conn.execute(update(flow_runs).where(flow_runs.c.id.in_(ids), stale).values(**crashed))
            unfinished = and_(task_runs.c.flow_run_id.in_(ids),
                              or_(task_runs.c.state_type.is_(None), task_runs.c.state_type.notin_(_FINAL)))
            task_ids = list(conn.execute(select(task_runs.c.id).where(unfinished)).scalars())
            if task_ids:
                conn.execute(update(task_runs).where(task_runs.c.id.in_(task_ids)).values(**crashed))
            rows = [dict(flow_run_id=run_id, task_run_id=None) for run_id in ids]
            rows += [dict(flow_run_id=None, task_run_id=task_id) for task_id in task_ids]
            conn.execute(insert(states), [
                dict(row, type="CRASHED", name="Crashed", message=message, timestamp=now, details=None)
                for row in rows
            ])
            # A zombie's process died as surely as one whose worker saw it exit: the
            # same rule decides whether its deployment's retries run it again.
            from headwater.store.workers import crash_run

            deployed = conn.execute(select(flow_runs.c.id).where(flow_runs.c.id.in_(ids),
                                                                 flow_runs.c.deployment_id.isnot(None))).scalars()
            for run_id in list(deployed):
                crash_run(conn, run_id, message, now)
            return ids

        return self._db.write(action)

    def crash_dead_processes(self, now: float, zombie_after_seconds: float, *, found_by: str = "",
                             spare: Callable[[str, str], bool] | None = None) -> list[str]:
        """End Crashed the PENDING and RUNNING flow runs (or ones with no state yet) whose recorded process is gone
        (store/processes.py), with their unfinished task runs, in one short transaction.

        The `Store` twin of store/sqlite_recovery.py, run by every process opening the
        database through the store (CLI, UI, server); a run of a deployment is ended by
        `crash_run`, so its deployment's retries schedule it again. Cheap when there is
        nothing to do: one indexed read, no write. The server's zombie service passes an
        infinite `zombie_after_seconds` (only provable deaths; it judges heartbeats itself)
        and names itself in `found_by` (see `crash_message`); `spare(run_id, process)`, given
        for each dead run of a worker, says to leave it this time (its worker reports its end).

        Returns:
            the ids of the flow runs ended.
        """
        from headwater.store.processes import UNFINISHED, crash_message, dead_runs, this_host

        unfinished_run = or_(flow_runs.c.state_type.in_(UNFINISHED), flow_runs.c.state_type.is_(None))
        candidates = select(flow_runs.c.id, flow_runs.c.process, flow_runs.c.heartbeat, flow_runs.c.worker_id).where(
            unfinished_run, flow_runs.c.process.isnot(None))
        rows = self._db.read(lambda conn: [tuple(row) for row in conn.execute(candidates)])
        dead = dead_runs([row[:3] for row in rows], this_host(), now, zombie_after_seconds) if rows else []
        if spare is not None:
            of_workers = {row[0] for row in rows if row[3] is not None}
            dead = [(run_id, process) for run_id, process in dead
                    if run_id not in of_workers or not spare(run_id, process)]
        if not dead:
            return []

        def action(conn: Connection) -> list[str]:
            from headwater.store.workers import crash_run

            crashed = []
            for run_id, process in dead:
                still = (flow_runs.c.id == run_id) & (flow_runs.c.process == process) & unfinished_run
                row = conn.execute(select(flow_runs.c.deployment_id).where(still)).first()
                if row is None:
                    continue  # it ended, or another process ended it, since the read
                message = crash_message(process, found_by)
                if row.deployment_id is not None:
                    crash_run(conn, run_id, message, now)
                else:
                    conn.execute(update(flow_runs).where(still).values(
                        state_type="CRASHED", state_name="Crashed", state_message=message, state_timestamp=now,
                        end_time=now, updated=now))
                    conn.execute(insert(states).values(flow_run_id=run_id, task_run_id=None, type="CRASHED",
                                                       name="Crashed", message=message, timestamp=now, details=None))
                unfinished = and_(task_runs.c.flow_run_id == run_id,
                                  or_(task_runs.c.state_type.is_(None), task_runs.c.state_type.notin_(_FINAL)))
                task_ids = list(conn.execute(select(task_runs.c.id).where(unfinished)).scalars())
                if task_ids:
                    conn.execute(update(task_runs).where(task_runs.c.id.in_(task_ids)).values(
                        state_type="CRASHED", state_name="Crashed", state_message=message, state_timestamp=now,
                        end_time=now, updated=now))
                    conn.execute(insert(states), [
                        dict(flow_run_id=None, task_run_id=task_id, type="CRASHED", name="Crashed", message=message,
                             timestamp=now, details=None) for task_id in task_ids])
                crashed.append(run_id)
            return crashed

        return self._db.write(action)

    def delete_old_history(self, cutoff: float, *, batch_size: int = 200) -> int:
        """Delete up to `batch_size` finished flow runs created before `cutoff` (with
        everything under them), then old task runs outside flows and old stray logs.

        Returns:
            how many flow runs were deleted; call again while it returns `batch_size`.
        """

        def action(conn: Connection) -> int:
            old = (flow_runs.c.created < cutoff) & flow_runs.c.state_type.in_(_FINAL)
            ids = list(conn.execute(select(flow_runs.c.id).where(old).limit(batch_size)).scalars())
            deleted = delete_flow_runs(conn, ids)
            lone_tasks = select(task_runs.c.id).where(
                task_runs.c.flow_run_id.is_(None), task_runs.c.created < cutoff
            ).limit(batch_size)
            task_ids = list(conn.execute(lone_tasks).scalars())
            if task_ids:
                conn.execute(delete(task_run_inputs).where(task_run_inputs.c.task_run_id.in_(task_ids)))
                conn.execute(delete(states).where(states.c.task_run_id.in_(task_ids)))
                conn.execute(delete(logs).where(logs.c.task_run_id.in_(task_ids)))
                conn.execute(delete(task_runs).where(task_runs.c.id.in_(task_ids)))
            stray = select(logs.c.id).where(logs.c.flow_run_id.is_(None), logs.c.timestamp < cutoff).limit(
                batch_size * 10
            )
            conn.execute(delete(logs).where(logs.c.id.in_(list(conn.execute(stray).scalars()))))
            # Background task runs that ended: their queue rows go with their history.
            conn.execute(delete(background_task_runs).where(
                background_task_runs.c.status == "DONE", background_task_runs.c.created < cutoff))
            return max(deleted, len(task_ids))

        return self._db.write(action)

    def prune_received_batches(self, cutoff: float) -> int:
        """Forget the ids of record batches received before `cutoff`; returns how many."""
        return int(self._db.write(
            lambda conn: conn.execute(delete(received_batches).where(received_batches.c.received < cutoff)).rowcount
        ))
