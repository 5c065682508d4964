"""The HTTP transport's requests for background task runs (`server/api/background_tasks.py`),
composed into `HttpTransport` (`client/http.py`).

A claim is not sent again after a lost reply (the runs may be claimed already; their
leases bring them back); queuing a run (its id chosen here), finishing, heartbeats and
status reads are harmless to repeat. Waiting calls ask the server to wait at most
`wait_seconds`, well inside the request time-out.
"""

from __future__ import annotations

from typing import Any

from headwater.client.http_resources import RequestBase, dump_body
from headwater.core.background_schemas import (
    BackgroundClaimRequest,
    BackgroundFinish,
    BackgroundRunCreate,
    BackgroundRunInfo,
    BackgroundRunStatus,
    BackgroundStatusRequest,
    ClaimedBackgroundRun,
    TaskWorkerHeartbeat,
    TaskWorkerInfo,
)

__all__ = ["BackgroundRequests"]


class BackgroundRequests(RequestBase):
    """Background task runs and task workers."""

    def create_background_task_run(self, body: BackgroundRunCreate) -> None:
        self._call("POST", "background_task_runs/", dump_body(body), idempotent=True)

    def claim_background_task_runs(self, body: BackgroundClaimRequest) -> list[ClaimedBackgroundRun]:
        return [ClaimedBackgroundRun.model_validate(r)
                for r in self._call("POST", "background_task_runs/claim", dump_body(body))]

    def finish_background_task_runs(self, body: BackgroundFinish) -> int:
        return int(self._call("POST", "background_task_runs/finish", dump_body(body), idempotent=True))

    def task_worker_heartbeat(self, body: TaskWorkerHeartbeat) -> None:
        self._call("POST", "background_task_runs/workers/heartbeat", dump_body(body), idempotent=True)

    def read_background_task_runs(self, body: BackgroundStatusRequest) -> list[BackgroundRunStatus]:
        return [BackgroundRunStatus.model_validate(r)
                for r in self._call("POST", "background_task_runs/status", dump_body(body), idempotent=True)]

    def list_background_task_runs(self, limit: int = 200) -> tuple[list[BackgroundRunInfo], dict[str, int]]:
        raise NotImplementedError("the waiting background task runs are listed on the server's UI page "
                                  "(/ui/background-tasks)")

    def list_task_workers(self) -> list[TaskWorkerInfo]:
        reply: Any = self._call("GET", "background_task_runs/workers")
        return [TaskWorkerInfo.model_validate(r) for r in reply]
