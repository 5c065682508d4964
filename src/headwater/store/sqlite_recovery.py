"""What the embedded writer does first in a process: end the runs of dead processes.

A flow run whose process was killed (`kill -9`, `os._exit`, a segfault, a closed
terminal) never records how it ended. Any headwater process that opens the embedded
database finds such runs (store/processes.py says which are gone) and ends them
Crashed, with their unfinished task runs, in one short transaction. This is the
standard-library version the embedded writer runs in its thread
(store/sqlite_sink.py); `Maintenance.crash_dead_processes` is the same over the
`Store`, for the CLI, the UI and PostgreSQL, and also handles runs of deployments
(whose retries may schedule them again), which this one leaves to it.

Cheap when there is nothing to do: one indexed SELECT of the unfinished runs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from headwater.core.states import FINAL_TYPES
from headwater.store.processes import UNFINISHED, crash_message, dead_runs, this_host

__all__ = ["crash_dead_runs"]

_UNFINISHED_SQL = ", ".join(f"'{t}'" for t in UNFINISHED)
_FINAL_SQL = ", ".join(f"'{t.value}'" for t in FINAL_TYPES)
_CANDIDATES = (f"SELECT id, process, heartbeat FROM flow_runs WHERE (state_type IN ({_UNFINISHED_SQL}) "
               "OR state_type IS NULL) "
               "AND process IS NOT NULL AND deployment_id IS NULL")
_CRASH_RUN = ("UPDATE flow_runs SET state_type = 'CRASHED', state_name = 'Crashed', state_message = ?, "
              f"state_timestamp = ?, end_time = ?, updated = ? WHERE id = ? AND process = ? AND (state_type IN "
              f"({_UNFINISHED_SQL}) OR state_type IS NULL)")
_UNFINISHED_TASKS = ("SELECT id FROM task_runs WHERE flow_run_id = ? AND (state_type IS NULL OR state_type NOT IN "
                     f"({_FINAL_SQL}))")
_CRASH_TASK = ("UPDATE task_runs SET state_type = 'CRASHED', state_name = 'Crashed', state_message = ?, "
               "state_timestamp = ?, end_time = ?, updated = ? WHERE id = ?")
_INSERT_STATE = ("INSERT INTO states (flow_run_id, task_run_id, type, name, message, timestamp, details) "
                 "VALUES (?, ?, 'CRASHED', 'Crashed', ?, ?, NULL)")


def crash_dead_runs(connection: sqlite3.Connection, now: float, zombie_after_seconds: float, *,
                    begin: Callable[[], None] | None = None) -> list[str]:
    """End Crashed the unfinished runs (not of deployments) whose process is gone.

    Args:
        connection: an autocommit (`isolation_level=None`) connection, outside a transaction.
        begin: starts the write transaction (default: BEGIN IMMEDIATE on `connection`).

    Returns:
        the ids of the flow runs ended.

    Raises:
        sqlite3.Error: the database failed (nothing was changed).
    """
    rows = connection.execute(_CANDIDATES).fetchall()
    if not rows:
        return []
    dead = dead_runs(rows, this_host(), now, zombie_after_seconds)
    if not dead:
        return []
    crashed: list[str] = []
    if begin is not None:
        begin()
    else:
        connection.execute("BEGIN IMMEDIATE")
    try:
        for run_id, process in dead:
            message = crash_message(process)
            if connection.execute(_CRASH_RUN, (message, now, now, now, run_id, process)).rowcount == 0:
                continue  # it ended, or another process ended it, since the SELECT
            crashed.append(run_id)
            tasks = [task_id for (task_id,) in connection.execute(_UNFINISHED_TASKS, (run_id,))]
            connection.executemany(_CRASH_TASK, [(message, now, now, now, task_id) for task_id in tasks])
            connection.executemany(_INSERT_STATE, [(run_id, None, message, now)]
                                   + [(None, task_id, message, now) for task_id in tasks])
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return crashed
