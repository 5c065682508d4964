"""Flow run input and the pause and resume of flow runs (`store.flow_run_input`).

Inputs are JSON texts keyed by `(flow_run_id, key)` (`core/flow_run_input_schemas.py`).
Pausing and resuming are here too because each is one transaction that reads the run's
state under its lock, decides, and writes the new state with the input that goes with
it: a resume whose input is stored but whose state change is lost (or the reverse) can
not happen, and two resumes racing change the run once.

The rules are Prefect's (its server's `HandlePausingFlows` and `HandleResumingPausedFlows`):
only a RUNNING run pauses; a pause key fires once per run (a suspended flow that runs
again passes its earlier `suspend_flow_run` calls); a suspend needs a deployment and a
top-level run; a pause whose timeout has passed cannot be resumed and fails the run.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from headwater.core import clock
from headwater.core.flow_run_input_schemas import FlowRunInputInfo, pause_details_of
from headwater.core.ids import new_id
from headwater.core.schemas import StateInfo
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound
from headwater.store.reads import as_utc
from headwater.store.tables import flow_run_input, flow_runs, states

if TYPE_CHECKING:
    from headwater.store.database import Database

__all__ = ["FlowRunInputs", "PauseOutcome", "latest_state"]

_FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


class PauseOutcome(NamedTuple):
    """What a pause or resume decided: ACCEPT (the run is in `state`), REJECT (unchanged,
    or failed when its pause expired: `state` says which) or ABORT (not allowed at all)."""

    status: Literal["ACCEPT", "REJECT", "ABORT"]
    state: StateInfo | None
    reason: str | None = None


def _info(row: Any) -> FlowRunInputInfo:
    return FlowRunInputInfo(id=row.id, flow_run_id=row.flow_run_id, key=row.key, value=row.value, sender=row.sender,
                            created=as_utc(row.created), updated=as_utc(row.updated))


def latest_state(conn: Connection, flow_run_id: str, *, lock: bool = False) -> tuple[Any, StateInfo | None]:
    """The run's row (state columns, deployment, parent) and its current state with details.

    Raises:
        ObjectNotFound: no flow run has this id.
    """
    query = select(flow_runs.c.state_type, flow_runs.c.state_name, flow_runs.c.state_message,
                   flow_runs.c.state_timestamp, flow_runs.c.deployment_id,
                   flow_runs.c.parent_task_run_id).where(flow_runs.c.id == flow_run_id)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise ObjectNotFound(f"no flow run with id '{flow_run_id}'.")
    if row.state_type is None:
        return row, None
    details = conn.execute(
        select(states.c.details).where(states.c.flow_run_id == flow_run_id, states.c.type == row.state_type)
        .order_by(states.c.timestamp.desc(), states.c.id.desc()).limit(1)).scalar()
    return row, StateInfo(type=row.state_type, name=row.state_name or row.state_type.capitalize(),
                          message=row.state_message, timestamp=as_utc(row.state_timestamp or 0.0),
                          details=details if isinstance(details, dict) else None)


def _write_state(conn: Connection, flow_run_id: str, state_type: str, name: str, message: str | None,
                 details: dict[str, Any] | None, now: float, expected_start: float | None = None) -> StateInfo:
    values: dict[str, Any] = dict(state_type=state_type, state_name=name, state_message=message,
                                  state_timestamp=now, updated=now, end_time=now if state_type in _FINAL else None)
    if state_type == "RUNNING":
        values.update(start_time=func.coalesce(flow_runs.c.start_time, now), run_count=flow_runs.c.run_count + 1)
    if state_type == "SCHEDULED":
        values["expected_start_time"] = expected_start if expected_start is not None else now
    conn.execute(update(flow_runs).where(flow_runs.c.id == flow_run_id).values(**values))
    conn.execute(insert(states).values(flow_run_id=flow_run_id, type=state_type, name=name, message=message,
                                       timestamp=now, details=details))
    return StateInfo(type=state_type, name=name, message=message, timestamp=as_utc(now), details=details)


def _fired_pause_keys(conn: Connection, flow_run_id: str) -> set[str]:
    rows = conn.execute(select(states.c.details).where(states.c.flow_run_id == flow_run_id,
                                                       states.c.type == "PAUSED")).scalars()
    return {str(d["pause_key"]) for d in rows if isinstance(d, dict) and d.get("pause_key") is not None}


def _insert_input(conn: Connection, flow_run_id: str, key: str, value: str, sender: str | None,
                  now: float) -> FlowRunInputInfo:
    row_id = new_id()
    conn.execute(insert(flow_run_input).values(id=row_id, flow_run_id=flow_run_id, key=key, value=value,
                                               sender=sender, created=now, updated=now))
    return FlowRunInputInfo(id=row_id, flow_run_id=flow_run_id, key=key, value=value, sender=sender,
                            created=as_utc(now), updated=as_utc(now))


class FlowRunInputs:
    """The flow run input repository (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, flow_run_id: str, key: str, value: str, sender: str | None = None) -> FlowRunInputInfo:
        """Store an input.

        Raises:
            ObjectNotFound: no flow run has this id.
            ObjectAlreadyExists: the run has an input with this key.
        """
        exists = ObjectAlreadyExists(f"flow run {flow_run_id} has an input with key {key!r} already")

        def action(conn: Connection) -> FlowRunInputInfo:
            if conn.execute(select(flow_runs.c.id).where(flow_runs.c.id == flow_run_id)).first() is None:
                raise ObjectNotFound(f"no flow run with id '{flow_run_id}'.")
            if conn.execute(select(flow_run_input.c.id).where(flow_run_input.c.flow_run_id == flow_run_id,
                                                              flow_run_input.c.key == key)).first() is not None:
                raise exists
            try:
                return _insert_input(conn, flow_run_id, key, value, sender, clock.now())
            except IntegrityError:  # stored by another writer since the check (PostgreSQL)
                raise exists from None

        return self._db.write(action)

    def read(self, flow_run_id: str, key: str) -> FlowRunInputInfo:
        """One input. Raises `ObjectNotFound`."""
        row = self._db.read(lambda conn: conn.execute(select(flow_run_input).where(
            flow_run_input.c.flow_run_id == flow_run_id, flow_run_input.c.key == key)).first())
        if row is None:
            raise ObjectNotFound(f"flow run {flow_run_id} has no input with key {key!r}")
        return _info(row)

    def filter(self, flow_run_id: str, prefix: str, *, limit: int = 1,
               exclude_keys: list[str] | None = None) -> list[FlowRunInputInfo]:
        """The oldest inputs whose key starts with `prefix`, leaving out `exclude_keys`."""
        query = select(flow_run_input).where(flow_run_input.c.flow_run_id == flow_run_id,
                                             flow_run_input.c.key.startswith(prefix, autoescape=True))
        if exclude_keys:
            query = query.where(flow_run_input.c.key.not_in(exclude_keys))
        query = query.order_by(flow_run_input.c.created, flow_run_input.c.id).limit(limit)
        return [_info(row) for row in self._db.read(lambda conn: conn.execute(query).all())]

    def delete(self, flow_run_id: str, key: str) -> None:
        """Delete one input. Raises `ObjectNotFound`."""
        def action(conn: Connection) -> int:
            return int(conn.execute(delete(flow_run_input).where(
                flow_run_input.c.flow_run_id == flow_run_id, flow_run_input.c.key == key)).rowcount)

        if not self._db.write(action):
            raise ObjectNotFound(f"flow run {flow_run_id} has no input with key {key!r}")

    def current_state(self, flow_run_id: str) -> StateInfo | None:
        """The run's state with its details (the pause it describes). Raises `ObjectNotFound`."""
        return self._db.read(lambda conn: latest_state(conn, flow_run_id)[1])

    def pause(self, flow_run_id: str, name: str, message: str | None, details: dict[str, Any]) -> PauseOutcome:
        """Move a RUNNING run into a Paused (or Suspended) state under Prefect's rules.

        Raises:
            ObjectNotFound: no flow run has this id.
        """
        verb = "suspend" if name == "Suspended" else "pause"
        pause = pause_details_of(details)

        def action(conn: Connection) -> PauseOutcome:
            row, state = latest_state(conn, flow_run_id, lock=True)
            if state is None:
                return PauseOutcome("ABORT", None, f"Cannot {verb} flows with no state.")
            if state.type != "RUNNING":
                return PauseOutcome("REJECT", state, f"Cannot {verb} flows that are not currently running.")
            key = pause.pause_key or new_id()
            if key in _fired_pause_keys(conn, flow_run_id):
                return PauseOutcome("REJECT", state, f"This {verb} has already fired.")
            if pause.pause_reschedule:
                if row.parent_task_run_id:
                    return PauseOutcome("ABORT", None, f"Cannot {verb} subflows.")
                if row.deployment_id is None:
                    return PauseOutcome("ABORT", None, f"Cannot {verb} flows without a deployment.")
            stored = dict(details, pause_key=key)
            # Input left under this pause's keys by an earlier attempt is not this pause's.
            if pause.run_input_keyset:
                conn.execute(delete(flow_run_input).where(and_(
                    flow_run_input.c.flow_run_id == flow_run_id,
                    flow_run_input.c.key.in_(list(pause.run_input_keyset.values())))))
            return PauseOutcome("ACCEPT", _write_state(conn, flow_run_id, "PAUSED", name, message, stored,
                                                       clock.now()))

        return self._db.write(action)

    def resume(self, flow_run_id: str, check_input: Any = None) -> PauseOutcome:
        """Resume a paused run: RUNNING again (a blocking pause), or due now as
        SCHEDULED "Resuming" (a suspended run, for a worker to run again); with the
        response input stored in the same transaction.

        Args:
            check_input: called with the paused state and the JSON text of its input
                schema (None if absent) before anything changes; returns
                a `PauseOutcome` to answer instead (bad input), or the JSON text of the
                input to store under the keyset's `response` key, or None.

        Raises:
            ObjectNotFound: no flow run has this id.
        """
        def action(conn: Connection) -> PauseOutcome:
            row, state = latest_state(conn, flow_run_id, lock=True)
            if state is None or state.type != "PAUSED":
                return PauseOutcome("ABORT", None, "Cannot resume a flow run that is not paused.")
            pause = pause_details_of(state.details)
            schema = None
            if pause.run_input_keyset:
                schema = conn.execute(select(flow_run_input.c.value).where(
                    flow_run_input.c.flow_run_id == flow_run_id,
                    flow_run_input.c.key == pause.run_input_keyset.get("schema", ""))).scalar()
            run_input = check_input(state, schema) if check_input is not None else None
            if isinstance(run_input, PauseOutcome):
                return run_input
            now = clock.now()
            verb = "suspend" if state.name == "Suspended" else "pause"
            if pause.pause_reschedule and row.deployment_id is None:
                return PauseOutcome("REJECT", state,
                                    f"Cannot reschedule a {state.name.lower()} flow run without a deployment.")
            if pause.pause_timeout is not None and _epoch(pause.pause_timeout) < now:
                # Prefect's wording names the state the resume proposed ("running", "resuming").
                proposed = "resuming" if pause.pause_reschedule else "running"
                failed = _write_state(conn, flow_run_id, "FAILED", "Failed",
                                      f"The flow was {proposed} and never resumed.", None, now)
                return PauseOutcome("REJECT", failed, f"The flow run {verb} has timed out and can no longer resume.")
            if pause.pause_reschedule:
                new = _write_state(conn, flow_run_id, "SCHEDULED", "Resuming", None,
                                   {"scheduled_time": clock.to_datetime(now).isoformat()}, now, expected_start=now)
            else:
                new = _write_state(conn, flow_run_id, "RUNNING", "Running", None, None, now)
            keyset = pause.run_input_keyset
            if keyset and run_input is not None:
                conn.execute(delete(flow_run_input).where(flow_run_input.c.flow_run_id == flow_run_id,
                                                          flow_run_input.c.key == keyset["response"]))
                _insert_input(conn, flow_run_id, keyset["response"], run_input, None, now)
            return PauseOutcome("ACCEPT", new)

        return self._db.write(action)

    def fail_expired_pauses(self, now: float, *, batch_size: int = 200) -> list[str]:
        """Fail the paused runs whose pause timeout has passed ("The flow was paused and
        never resumed."); returns their ids."""
        def action(conn: Connection) -> list[str]:
            ids = list(conn.execute(select(flow_runs.c.id).where(flow_runs.c.state_type == "PAUSED")
                                    .limit(batch_size * 5)).scalars())
            failed = []
            for flow_run_id in ids:
                _, state = latest_state(conn, flow_run_id)
                if state is None or state.type != "PAUSED":
                    continue
                timeout = pause_details_of(state.details).pause_timeout
                if timeout is not None and _epoch(timeout) < now:
                    _write_state(conn, flow_run_id, "FAILED", "Failed", "The flow was paused and never resumed.",
                                 None, now)
                    failed.append(flow_run_id)
                    if len(failed) >= batch_size:
                        break
            return failed

        return self._db.write(action)


def _epoch(value: datetime) -> float:
    return value.timestamp()
