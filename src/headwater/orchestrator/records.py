"""The small records the engine produces while runs execute.

They are plain named tuples: built on the hot path in well under a microsecond,
queued, and written in batches by the background writer. A store or the server turns
them into rows. Timestamps are epoch seconds from `headwater.core.clock.now()`.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Union

__all__ = [
    "ArtifactCreated",
    "AssetMaterialized",
    "ArtifactUpdated",
    "EventEmitted",
    "FlowRunCreated",
    "Heartbeat",
    "LogEmitted",
    "Record",
    "RunProcess",
    "StateChanged",
    "TaskInputsRecorded",
    "TaskRunCreated",
    "truncate_message",
]


class FlowRunCreated(NamedTuple):
    """A flow run began; `parameters` is already JSON-safe."""

    id: str
    flow_name: str
    name: str
    parameters: dict[str, Any]
    tags: list[str]
    parent_task_run_id: str | None
    created: float


class TaskRunCreated(NamedTuple):
    """A task run began; `flow_run_id` is None for a task called outside any flow."""

    id: str
    flow_run_id: str | None
    name: str
    task_name: str
    task_key: str
    dynamic_key: int
    tags: list[str]
    created: float


class StateChanged(NamedTuple):
    """A run entered a state. `is_task` tells which kind of run `run_id` names."""

    run_id: str
    is_task: bool
    type: str
    name: str
    message: str | None
    timestamp: float
    details: dict[str, Any] | None


class LogEmitted(NamedTuple):
    """A log line of a run (either id may be None, not both in practice)."""

    flow_run_id: str | None
    task_run_id: str | None
    level: int
    logger: str
    message: str
    timestamp: float


class TaskInputsRecorded(NamedTuple):
    """Which upstream task runs fed a task run: (parameter, upstream id, kind) triples.

    kind is "data" (a value flowed in) or "wait_for" (ordering only).
    """

    task_run_id: str
    inputs: tuple[tuple[str, str, str], ...]


class Heartbeat(NamedTuple):
    """The process running a flow run is alive."""

    flow_run_id: str
    timestamp: float


class EventEmitted(NamedTuple):
    """An event emitted by user code (`emit_event`), labels and payload JSON-safe.

    The events of state changes are not emitted: the store derives them from
    `StateChanged` records as it writes them (store/event_rows.py).
    """

    id: str
    occurred: float
    event: str
    resource: dict[str, str]
    related: list[dict[str, str]]
    payload: dict[str, Any]
    follows: str | None


class RunProcess(NamedTuple):
    """The process executing a flow run, as `store/processes.py` names it ("host:pid:start").

    Embedded, the next process opening the database ends the run Crashed if this one is
    gone; in client mode the server's zombie service checks it when it runs on the
    same host (server/services/zombies.py).
    """

    flow_run_id: str
    process: str


class ArtifactCreated(NamedTuple):
    """An artifact made in a run (`headwater.artifacts`); `data` is JSON-safe.

    `key` None is an artifact without a key; with one, it becomes the key's latest version.
    """

    id: str
    key: str | None
    type: str | None
    description: str | None
    data: Any
    flow_run_id: str | None
    task_run_id: str | None
    created: float


class ArtifactUpdated(NamedTuple):
    """An artifact's data changed in a run (`update_progress_artifact`); a `description`
    of None leaves the description as it was."""

    id: str
    data: Any
    description: str | None
    timestamp: float


class AssetMaterialized(NamedTuple):
    """A `@materialize` task run ended (`headwater.assets`): one record per asset it makes.

    `properties` are the asset's, when its `Asset` gave them (they replace the stored
    ones); `upstream` holds (key, properties or None) of each asset it was made from;
    `status` is "succeeded" or "failed"; `metadata` is JSON-safe.
    """

    id: str
    key: str
    properties: dict[str, Any] | None
    metadata: dict[str, Any] | None
    upstream: list[tuple[str, dict[str, Any] | None]]
    by: str | None
    status: str
    flow_run_id: str | None
    task_run_id: str | None
    timestamp: float


Record = Union[
    FlowRunCreated, TaskRunCreated, StateChanged, LogEmitted, TaskInputsRecorded, Heartbeat, ArtifactCreated,
    ArtifactUpdated, EventEmitted, AssetMaterialized, RunProcess,
]


def truncate_message(message: str, max_bytes: int) -> str:
    """`message` cut to at most `max_bytes` UTF-8 bytes, ending with a note saying so.

    Used by whoever stores log records: the server bounds the lines of any client's
    batches with it.

    Example:
        >>> len(truncate_message("x" * 5000, 1000).encode()) <= 1000
        True
    """
    encoded = message.encode("utf-8", "surrogatepass")
    if len(encoded) <= max_bytes:
        return message
    note = (f" ... [truncated: the line was {len(encoded)} bytes; {max_bytes} are stored at most, "
            "set by HEADWATER_LOGGING_MAX_MESSAGE_BYTES]")
    # "ignore" drops a character cut in half at the end (and lone surrogates).
    return encoded[:max(0, max_bytes - len(note))].decode("utf-8", "ignore") + note
