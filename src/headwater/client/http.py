"""The client's HTTP transport: each control-plane operation as a request to a server.

`HttpTransport` has the methods of `headwater.operations.Operations` (the in-process
transport) with the same arguments, results and exceptions; each is one request to
the route that calls that operation on the server. Errors come back as headwater's
exceptions (see `ApiClient.check`): 404 `ObjectNotFound`, 409 `ObjectAlreadyExists`
or `InvalidStateTransition`, an unreachable server `StoreError`.

A server that is away is waited out as the engine's client mode waits it out
(`client/retry.py`: backoff from 0.05 s to 2 s, for up to HEADWATER_API_BUFFER_SECONDS).
A request that may have been carried out before its reply was lost is sent again only
when doing it twice is harmless. Which operations are (`idempotent=True` below):

- reads, including the POSTed filters and counts;
- PUT, PATCH and DELETE: they set fields to the values given, or remove (a DELETE sent
  again that finds nothing succeeded);
- creates that name what they create: `ensure_flow` (by name), `upsert_deployment`
  (by flow and name), `backfill` (each run's id is made from the deployment and its
  due time; a re-sent backfill counts its runs as existing), `worker_heartbeat` (by
  worker name), `crash_flow_run` (a report sent twice changes the run once), releasing
  a lease (a released lease is left alone);
- `create_flow_run` and `create_deployment_run`: the transport chooses the new run's id
  when the caller did not (`core/ids.py`), and the server returns the run that has it
  if it exists already.

Not repeated after a lost reply, so the call fails saying it may have been done:
setting, cancelling or retrying a run's state, claiming runs (a claim whose reply is
lost leaves its runs PENDING; the scheduler marks them Crashed, and retries them as their
deployment says, `zombie_after_seconds` after they were due), and
creating a project, work pool or concurrency limit (a second try would answer 409).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from uuid import UUID

from headwater.client.http_events import EventRequests
from headwater.client.http_flow_run_input import FlowRunInputRequests
from headwater.client.http_background import BackgroundRequests
from headwater.client.http_resources import (
    ArtifactRequests,
    AssetRequests,
    BlockRequests,
    VariableRequests,
    dump_body,
    path_segment,
)
from headwater.client.http_automations import AutomationRequests
from headwater.client.retry import Resender
from headwater.core.api_schemas import FlowInfo, OrchestrationResult
from headwater.core.deployment_schemas import (
    BackfillResult,
    ClaimedRun,
    DeploymentInfo,
    ProjectInfo,
    WorkerHeartbeatReply,
    WorkerInfo,
    WorkPoolInfo,
)
from headwater.core.limits import (
    ConcurrencyLimitError,
    ConcurrencyLimitInfo,
    check_decay,
    check_limit,
    describe_limit,
    kind_of,
    limit_key_of,
)
from headwater.core.ids import new_id
from headwater.core.schemas import FlowRunInfo, LogInfo, StateInfo, StoredLog, TaskRunInfo
from headwater.exceptions import ObjectNotFound

if TYPE_CHECKING:
    from headwater.core.api_schemas import TaskRunDependencies
    import httpx

    from headwater.core.api_schemas import (
        FlowFilterRequest,
        FlowRunCreate,
        FlowRunFilterRequest,
        LogCreate,
        LogFilterRequest,
        LogsAfterRequest,
        StateCreate,
        TaskRunFilterRequest,
    )
    from headwater.core.deployment_schemas import (
        BackfillRequest,
        ClaimRequest,
        CrashReport,
        DeploymentCreate,
        DeploymentRunCreate,
        DeploymentUpdate,
        ProjectCreate,
        WorkerHeartbeat,
        WorkPoolCreate,
        WorkPoolUpdate,
    )
    from headwater.core.limits import LimitKind
    from headwater.core.run_updates import FlowRunUpdate, ScheduleUpdate, TaskRunCreate, TaskRunUpdate
    from headwater.core.settings import Settings

__all__ = ["HttpTransport"]

_LIMITS = "v2/concurrency_limits"
_IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "PATCH", "DELETE"})


class HttpTransport(VariableRequests, ArtifactRequests, AssetRequests, BlockRequests, EventRequests, AutomationRequests,
                    FlowRunInputRequests, BackgroundRequests):
    """The control plane of the server at `settings.api_url` (see the module docstring).

    Attributes:
        url: the server's API URL.
        resender: sends each request, again while the server is away (`client/retry.py`).
    """

    def __init__(self, settings: Settings) -> None:
        from headwater.orchestrator.http import ApiClient

        self.settings = settings
        self.api = ApiClient(settings)
        self.url = self.api.url
        self.resender = Resender(self.api, settings.api_buffer_seconds)

    def close(self) -> None:
        """Close the connection pool."""
        self.api.close()

    def _send(self, method: str, path: str, body: Any = None, params: Any = None, *,
              idempotent: bool | None = None) -> httpx.Response:
        if idempotent is None:
            idempotent = method in _IDEMPOTENT_METHODS
        return self.resender.send(method, path, idempotent=idempotent, json=body, params=params)

    def _call(self, method: str, path: str, body: Any = None, params: Any = None, *,
              idempotent: bool | None = None) -> Any:
        response = self._send(method, path, body, params, idempotent=idempotent)
        return self.api.check(response, f"{method} {path}")

    # -- flows -----------------------------------------------------------------------
    def ensure_flow(self, name: str) -> FlowInfo:
        return FlowInfo.model_validate(self._call("POST", "flows/", {"name": name}, idempotent=True))

    def read_flow(self, *, flow_id: str | None = None, name: str | None = None) -> FlowInfo:
        path = f"flows/{path_segment(flow_id)}" if flow_id is not None else f"flows/name/{path_segment(name or '')}"
        return FlowInfo.model_validate(self._call("GET", path))

    def filter_flows(self, request: FlowFilterRequest) -> list[FlowInfo]:
        reply = self._call("POST", "flows/filter", dump_body(request), idempotent=True)
        return [FlowInfo.model_validate(f) for f in reply]

    # -- flow runs -------------------------------------------------------------------
    def create_flow_run(self, body: FlowRunCreate) -> FlowRunInfo:
        if body.id is None:  # an id of our choosing makes sending it again harmless
            body = body.model_copy(update={"id": UUID(new_id())})
        reply = self._call("POST", "flow_runs/", dump_body(body, exclude_none=True), idempotent=True)
        return FlowRunInfo.model_validate(reply)

    def read_flow_run(self, flow_run_id: str) -> FlowRunInfo:
        return FlowRunInfo.model_validate(self._call("GET", f"flow_runs/{path_segment(flow_run_id)}"))

    def lookup_flow_run(self, ref: str) -> FlowRunInfo:
        return FlowRunInfo.model_validate(self._call("GET", "flow_runs/lookup", params={"ref": ref}))

    def filter_flow_runs(self, request: FlowRunFilterRequest) -> list[FlowRunInfo]:
        reply = self._call("POST", "flow_runs/filter", dump_body(request), idempotent=True)
        return [FlowRunInfo.model_validate(r) for r in reply]

    def count_flow_runs(self, request: FlowRunFilterRequest) -> int:
        return int(self._call("POST", "flow_runs/count", dump_body(request), idempotent=True))

    def set_flow_run_state(self, flow_run_id: str, state: StateCreate, *, force: bool = False) -> OrchestrationResult:
        body = {"state": dump_body(state, exclude_none=True), "force": force}
        return OrchestrationResult.model_validate(self._call("POST", f"flow_runs/{path_segment(flow_run_id)}/set_state", body))

    def update_flow_run(self, flow_run_id: str, body: FlowRunUpdate) -> FlowRunInfo:
        self._call("PATCH", f"flow_runs/{path_segment(flow_run_id)}", dump_body(body, exclude_none=True))
        return self.read_flow_run(flow_run_id)

    def delete_flow_run(self, flow_run_id: str) -> None:
        self._call("DELETE", f"flow_runs/{path_segment(flow_run_id)}")

    def cancel_flow_run(self, flow_run_id: str) -> StateInfo:
        return StateInfo.model_validate(self._call("POST", f"flow_runs/{path_segment(flow_run_id)}/cancel")["state"])

    def retry_flow_run(self, flow_run_id: str) -> StateInfo:
        return StateInfo.model_validate(self._call("POST", f"flow_runs/{path_segment(flow_run_id)}/retry")["state"])

    def read_flow_run_states(self, flow_run_id: str) -> list[StateInfo]:
        reply = self._call("GET", "flow_run_states/", params={"flow_run_id": flow_run_id})
        return [StateInfo.model_validate(s) for s in reply]

    def flow_run_graph(self, flow_run_id: str) -> list[TaskRunDependencies]:
        from headwater.core.api_schemas import TaskRunDependencies

        reply = self._call("GET", f"flow_runs/{path_segment(flow_run_id)}/graph")
        return [TaskRunDependencies.model_validate(t) for t in reply]

    # -- task runs and logs ----------------------------------------------------------
    def filter_task_runs(self, request: TaskRunFilterRequest) -> list[TaskRunInfo]:
        reply = self._call("POST", "task_runs/filter", dump_body(request), idempotent=True)
        return [TaskRunInfo.model_validate(t) for t in reply]

    def count_task_runs(self, request: TaskRunFilterRequest) -> int:
        return int(self._call("POST", "task_runs/count", dump_body(request), idempotent=True))

    def read_task_run(self, task_run_id: str) -> TaskRunInfo:
        return TaskRunInfo.model_validate(self._call("GET", f"task_runs/{path_segment(task_run_id)}"))

    def create_task_run(self, body: TaskRunCreate) -> TaskRunInfo:
        if body.id is None:  # an id of our choosing makes sending it again harmless
            body = body.model_copy(update={"id": UUID(new_id())})
        reply = self._call("POST", "task_runs/", dump_body(body, exclude_none=True), idempotent=True)
        return TaskRunInfo.model_validate(reply)

    def update_task_run(self, task_run_id: str, body: TaskRunUpdate) -> TaskRunInfo:
        self._call("PATCH", f"task_runs/{path_segment(task_run_id)}", dump_body(body, exclude_none=True))
        return self.read_task_run(task_run_id)

    def read_task_run_states(self, task_run_id: str) -> list[StateInfo]:
        reply = self._call("GET", "task_run_states/", params={"task_run_id": task_run_id})
        return [StateInfo.model_validate(s) for s in reply]

    def write_logs(self, lines: list[LogCreate]) -> int:
        # not idempotent: a batch sent twice would be stored twice, so it is sent once;
        # in batches of the server's most per request (10,000)
        return sum(int(self._call("POST", "logs/", [dump_body(line) for line in lines[start:start + 10_000]],
                                  idempotent=False)) for start in range(0, len(lines), 10_000))

    def filter_logs(self, request: LogFilterRequest) -> list[LogInfo]:
        reply = self._call("POST", "logs/filter", dump_body(request), idempotent=True)
        return [LogInfo.model_validate(line) for line in reply]

    def logs_after(self, request: LogsAfterRequest) -> list[StoredLog]:
        reply = self._call("POST", "logs/after", dump_body(request), idempotent=True)
        return [StoredLog.model_validate(line) for line in reply]

    # -- deployments -----------------------------------------------------------------
    def upsert_deployment(self, body: DeploymentCreate) -> DeploymentInfo:
        return DeploymentInfo.model_validate(self._call("POST", "deployments/", dump_body(body), idempotent=True))

    def read_deployment(self, ref: str) -> DeploymentInfo:
        if "/" in ref:
            flow_name, _, name = ref.partition("/")
            path = f"deployments/name/{path_segment(flow_name)}/{path_segment(name)}"
        else:
            path = f"deployments/{path_segment(ref)}"
        return DeploymentInfo.model_validate(self._call("GET", path))

    def list_deployments(self, *, project: str | None = None, work_pool_name: str | None = None,
                         flow_name: str | None = None) -> list[DeploymentInfo]:
        params = {k: v for k, v in {"project": project, "work_pool_name": work_pool_name,
                                     "flow_name": flow_name}.items() if v is not None}
        return [DeploymentInfo.model_validate(d) for d in self._call("GET", "deployments/", params=params)]

    def update_deployment(self, ref: str, body: DeploymentUpdate) -> DeploymentInfo:
        deployment_id = self.read_deployment(ref).id
        return DeploymentInfo.model_validate(
            self._call("PATCH", f"deployments/{deployment_id}", dump_body(body, exclude_unset=True)))

    def update_deployment_schedule(self, ref: str, schedule_id: str, body: ScheduleUpdate) -> DeploymentInfo:
        deployment_id = self.read_deployment(ref).id if "/" in ref else ref
        path = f"deployments/{path_segment(deployment_id)}/schedules/{path_segment(schedule_id)}"
        self._call("PATCH", path, dump_body(body, exclude_none=True))
        return self.read_deployment(ref)

    def delete_deployment(self, ref: str) -> None:
        self._call("DELETE", f"deployments/{self.read_deployment(ref).id}")

    def create_deployment_run(self, ref: str, body: DeploymentRunCreate) -> FlowRunInfo:
        deployment_id = self.read_deployment(ref).id
        if body.id is None:  # as in create_flow_run
            body = body.model_copy(update={"id": new_id()})
        return FlowRunInfo.model_validate(
            self._call("POST", f"deployments/{deployment_id}/create_flow_run", dump_body(body), idempotent=True))

    def backfill(self, ref: str, body: BackfillRequest) -> BackfillResult:
        deployment_id = self.read_deployment(ref).id
        reply = self._call("POST", f"deployments/{deployment_id}/backfill", dump_body(body), idempotent=True)
        return BackfillResult.model_validate(reply)

    def deployment_of_flow_run(self, flow_run_id: str) -> DeploymentInfo | None:
        found = self._call("GET", f"deployments/of_flow_run/{path_segment(flow_run_id)}")
        return DeploymentInfo.model_validate(found) if found else None

    # -- projects, work pools, workers -----------------------------------------------
    def create_project(self, body: ProjectCreate) -> ProjectInfo:
        return ProjectInfo.model_validate(self._call("POST", "projects/", body.model_dump()))

    def read_project(self, name: str) -> ProjectInfo:
        return ProjectInfo.model_validate(self._call("GET", f"projects/{path_segment(name)}"))

    def list_projects(self) -> list[ProjectInfo]:
        return [ProjectInfo.model_validate(p) for p in self._call("GET", "projects/")]

    def create_work_pool(self, body: WorkPoolCreate) -> WorkPoolInfo:
        return WorkPoolInfo.model_validate(self._call("POST", "work_pools/", body.model_dump(mode="json")))

    def read_work_pool(self, name: str) -> WorkPoolInfo:
        return WorkPoolInfo.model_validate(self._call("GET", f"work_pools/{path_segment(name)}"))

    def update_work_pool(self, name: str, body: WorkPoolUpdate) -> WorkPoolInfo:
        return WorkPoolInfo.model_validate(
            self._call("PATCH", f"work_pools/{path_segment(name)}", body.model_dump(mode="json", exclude_unset=True)))

    def list_work_pools(self) -> list[WorkPoolInfo]:
        return [WorkPoolInfo.model_validate(p) for p in self._call("GET", "work_pools/")]

    def list_workers(self, work_pool_name: str | None = None) -> list[WorkerInfo]:
        params = {"work_pool_name": work_pool_name} if work_pool_name else None
        return [WorkerInfo.model_validate(w) for w in self._call("GET", "workers/", params=params)]

    def worker_heartbeat(self, body: WorkerHeartbeat) -> WorkerHeartbeatReply:
        reply = self._call("POST", "workers/heartbeat", dump_body(body), idempotent=True)
        return WorkerHeartbeatReply.model_validate(reply)

    def claim_runs(self, body: ClaimRequest) -> list[ClaimedRun]:
        return [ClaimedRun.model_validate(r) for r in self._call("POST", "workers/claim", dump_body(body))]

    def crash_flow_run(self, report: CrashReport) -> StateInfo:
        return StateInfo.model_validate(self._call("POST", "workers/crashed", dump_body(report), idempotent=True))

    def scheduler_pass(self, now: float) -> int:
        """Nothing to do: the server's scheduler service does it."""
        return 0

    # -- concurrency limits ----------------------------------------------------------
    def _limit_path(self, key: str) -> str:
        # A key with "/" cannot be a limit (nor one path segment).
        if "/" in key:
            command = "headwater concurrency-limit ls" if kind_of(key) == "tag" else "headwater gcl ls"
            raise ObjectNotFound(f"there is no {describe_limit(key)}; list the limits with `{command}`")
        return f"{_LIMITS}/{quote(key, safe=':')}"

    def _limits(self, method: str, path: str, body: Any = None, *, idempotent: bool | None = None) -> Any:
        """One limits request; its 409/422 are `ConcurrencyLimitError` (bad values, name taken)."""
        from headwater.orchestrator.http import response_detail

        response = self._send(method, path, body, idempotent=idempotent)
        if response.status_code in (409, 422):
            raise ConcurrencyLimitError(response_detail(response))
        return self.api.check(response, f"{method} /{path}")

    def create_concurrency_limit(self, name: str, limit: int, *, slot_decay_per_second: float = 0.0,
                                 active: bool = True) -> ConcurrencyLimitInfo:
        # Checked here with the store's checks, so a mistake reads the same as embedded, without a round trip.
        key = limit_key_of(name)
        check_limit(limit, key)
        check_decay(slot_decay_per_second, key)
        body = {"name": key, "limit": limit, "slot_decay_per_second": slot_decay_per_second, "active": active}
        return ConcurrencyLimitInfo.model_validate(self._limits("POST", f"{_LIMITS}/", body))

    def read_concurrency_limit(self, name: str) -> ConcurrencyLimitInfo:
        return ConcurrencyLimitInfo.model_validate(self._limits("GET", self._limit_path(name)))

    def list_concurrency_limits(self, *, kind: LimitKind | None = None,
                                with_holders: bool = True) -> list[ConcurrencyLimitInfo]:
        reply = self._limits("POST", f"{_LIMITS}/filter", {"kind": kind, "with_holders": with_holders},
                             idempotent=True)
        return [ConcurrencyLimitInfo.model_validate(item) for item in reply]

    def update_concurrency_limit(self, name: str, *, limit: int | None = None,
                                 slot_decay_per_second: float | None = None,
                                 active: bool | None = None) -> ConcurrencyLimitInfo:
        if limit is not None:
            check_limit(limit, name)
        if slot_decay_per_second is not None:
            check_decay(slot_decay_per_second, name)
        changes = {"limit": limit, "slot_decay_per_second": slot_decay_per_second, "active": active}
        body = {field: value for field, value in changes.items() if value is not None}
        return ConcurrencyLimitInfo.model_validate(self._limits("PATCH", self._limit_path(name), body))

    def delete_concurrency_limit(self, name: str) -> None:
        self._limits("DELETE", self._limit_path(name))

    # -- one block added by the client's refactor (helper "homes"): one request per reset,
    # and a transport used as a context manager (`with open_transport(settings) as control:`)
    def reset_concurrency_limit(self, name: str) -> None:
        self._limits("POST", f"{self._limit_path(name)}/reset", idempotent=True)

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
