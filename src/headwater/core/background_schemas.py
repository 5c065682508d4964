"""Background task runs: the request and reply bodies of `/api/background_task_runs/`.

A background task run is a task run made by `task.delay(...)` (or `apply_async`) in
one process and run by a task worker (`headwater.task_worker.serve`) in another. It
waits in a queue as SCHEDULED; a worker claims it under a lease it renews; when it
ends the worker reports its final state, which is what waiters (`future.result()`,
`TaskRunWaiter`) watch. Arguments and results travel through a storage location
(`storage`), never through the database. Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "BackgroundClaimRequest",
    "BackgroundFinish",
    "BackgroundRunCreate",
    "BackgroundRunEnd",
    "BackgroundRunInfo",
    "BackgroundRunStatus",
    "BackgroundStatusRequest",
    "ClaimedBackgroundRun",
    "INLINE_MAX_BYTES",
    "TaskWorkerHeartbeat",
    "TaskWorkerInfo",
]

Text255 = Annotated[str, StringConstraints(min_length=1, max_length=255)]
RunId = Annotated[str, StringConstraints(min_length=1, max_length=36)]
_MAX_IDS = 10_000
INLINE_MAX_BYTES = 16_384
"""Parameters and outcomes up to this size (pickled) travel in the queue row; larger
ones through the task scheduling storage."""


def _base64(value: str) -> str:
    import base64
    import binascii

    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64") from None
    return value


Inline = Annotated[str, StringConstraints(max_length=4 * INLINE_MAX_BYTES // 3 + 8), AfterValidator(_base64)]
StateTypeName = Literal["SCHEDULED", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CRASHED", "CANCELLING",
                        "CANCELLED", "PAUSED"]
_WAIT_MAX_SECONDS = 2.0  # long polls stay short: a worker notices stop() and new waiters join quickly


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BackgroundRunCreate(_Request):
    """Body of `POST /background_task_runs/`: a task run for a task worker to execute."""

    id: RunId
    name: Text255
    task_key: Text255
    task_name: Text255
    tags: Annotated[list[Annotated[str, StringConstraints(max_length=255)]], Field(max_length=100)] = []
    retries: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    storage: Annotated[str, StringConstraints(min_length=1, max_length=4096)]
    flow_run_id: Optional[RunId] = None
    """The flow run it belongs to (a flow's `PrefectTaskRunner`), if any."""
    parameters: Optional[Inline] = None
    """The call's parameters record (base64), when small; else it is in `storage`."""


class BackgroundRunEnd(_Request):
    """How one claimed run ended."""

    task_run_id: RunId
    state_type: StateTypeName
    state_name: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    state_message: Optional[Annotated[str, StringConstraints(max_length=100_000)]] = None
    outcome: Optional[Inline] = None
    """The outcome record (base64), when small; else it is in the run's storage."""


class BackgroundClaimRequest(_Request):
    """Body of `POST /background_task_runs/claim`: take up to `limit` runs of these tasks.

    With `wait_seconds` the call waits (at most that long) for a run to arrive when
    none is there yet, so an idle worker hears of a new run at once.
    """

    worker: Text255
    task_keys: Annotated[list[Text255], Field(min_length=1, max_length=1000)]
    limit: Annotated[int, Field(ge=0, le=1000)] = 1
    lease_seconds: Annotated[float, Field(gt=0, le=3600)] = 30.0
    wait_seconds: Annotated[float, Field(ge=0, le=_WAIT_MAX_SECONDS)] = 0.0
    ended: Annotated[list[BackgroundRunEnd], Field(max_length=_MAX_IDS)] = []
    """Runs of this worker that ended, recorded in the same transaction before claiming
    (one write instead of two per round)."""


class ClaimedBackgroundRun(BaseModel):
    """A background task run a worker has claimed: what it needs to run it."""

    task_run_id: str
    name: str
    task_key: str
    task_name: str
    storage: str
    run_count: int
    """Attempts made before this one (a worker that died counts as one)."""
    retries: int
    parameters: Optional[str] = None


class BackgroundFinish(_Request):
    """Body of `POST /background_task_runs/finish`: runs a worker has finished."""

    worker: Text255
    ended: Annotated[list[BackgroundRunEnd], Field(max_length=_MAX_IDS)]


class BackgroundStatusRequest(_Request):
    """Body of `POST /background_task_runs/status`: how these runs stand.

    With `wait_seconds` the call waits (at most that long) until one of them has ended.
    """

    ids: Annotated[list[RunId], Field(max_length=_MAX_IDS)]
    wait_seconds: Annotated[float, Field(ge=0, le=_WAIT_MAX_SECONDS)] = 0.0


class BackgroundRunStatus(BaseModel):
    """Where a background task run stands: SCHEDULED, CLAIMED or DONE (with its final state)."""

    task_run_id: str
    status: str
    state_type: Optional[str] = None
    state_name: Optional[str] = None
    state_message: Optional[str] = None
    storage: str
    outcome: Optional[str] = None


class TaskWorkerHeartbeat(_Request):
    """Body of `POST /background_task_runs/workers/heartbeat`: a task worker is alive and
    still runs `running` (their leases are renewed)."""

    worker: Text255
    task_keys: Annotated[list[Text255], Field(max_length=1000)] = []
    limit: Optional[Annotated[int, Field(ge=1)]] = None
    host: Annotated[str, StringConstraints(max_length=255)] = ""
    pid: Annotated[int, Field(ge=0)] = 0
    running: Annotated[list[RunId], Field(max_length=_MAX_IDS)] = []
    lease_seconds: Annotated[float, Field(gt=0, le=3600)] = 30.0
    stopping: bool = False


class TaskWorkerInfo(BaseModel):
    """A task worker as the UI and CLI show it."""

    name: str
    task_keys: list[str]
    limit: Optional[int]
    host: str
    pid: int
    status: str
    started: datetime
    last_heartbeat: datetime
    running: int


class BackgroundRunInfo(BaseModel):
    """A background task run waiting or running, as the UI shows it."""

    task_run_id: str
    name: str
    task_name: str
    task_key: str
    status: str
    worker: Optional[str]
    claims: int
    created: datetime
