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
from headwater.core.schemas import FlowRunInfo, LogInfo, StateInfo, TaskRunInfo
from headwater.exceptions import ObjectNotFound

if TYPE_CHECKING:
    import httpx

    from headwater.core.api_schemas import (
        FlowFilterRequest,
        FlowRunCreate,
        FlowRunFilterRequest,
        LogFilterRequest,
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
    from headwater.core.settings import Settings

__all__ = ["HttpTransport"]

_LIMITS = "v2/concurrency_limits"
_IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "PATCH", "DELETE"})


def _seg(value: str) -> str:
    return quote(value, safe="")


def _dump(model: Any, **kwargs: Any) -> Any:
    return model.model_dump(mode="json", **kwargs)


class HttpTransport(AutomationRequests):
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
        path = f"flows/{_seg(flow_id)}" if flow_id is not None else f"flows/name/{_seg(name or '')}"
        return FlowInfo.model_validate(self._call("GET", path))

    def filter_flows(self, request: FlowFilterRequest) -> list[FlowInfo]:
        reply = self._call("POST", "flows/filter", _dump(request), idempotent=True)
        return [FlowInfo.model_validate(f) for f in reply]

    # -- flow runs -------------------------------------------------------------------
    def create_flow_run(self, body: FlowRunCreate) -> FlowRunInfo:
        if body.id is None:  # an id of our choosing makes sending it again harmless
            body = body.model_copy(update={"id": UUID(new_id())})
        reply = self._call("POST", "flow_runs/", _dump(body, exclude_none=True), idempotent=True)
        return FlowRunInfo.model_validate(reply)

    def read_flow_run(self, flow_run_id: str) -> FlowRunInfo:
        return FlowRunInfo.model_validate(self._call("GET", f"flow_runs/{_seg(flow_run_id)}"))

    def lookup_flow_run(self, ref: str) -> FlowRunInfo:
        return FlowRunInfo.model_validate(self._call("GET", "flow_runs/lookup", params={"ref": ref}))

    def filter_flow_runs(self, request: FlowRunFilterRequest) -> list[FlowRunInfo]:
        reply = self._call("POST", "flow_runs/filter", _dump(request), idempotent=True)
        return [FlowRunInfo.model_validate(r) for r in reply]

    def count_flow_runs(self, request: FlowRunFilterRequest) -> int:
        return int(self._call("POST", "flow_runs/count", _dump(request), idempotent=True))

    def set_flow_run_state(self, flow_run_id: str, state: StateCreate, *, force: bool = False) -> OrchestrationResult:
        body = {"state": _dump(state, exclude_none=True), "force": force}
        return OrchestrationResult.model_validate(self._call("POST", f"flow_runs/{_seg(flow_run_id)}/set_state", body))

    def delete_flow_run(self, flow_run_id: str) -> None:
        self._call("DELETE", f"flow_runs/{_seg(flow_run_id)}")

    def cancel_flow_run(self, flow_run_id: str) -> StateInfo:
        return StateInfo.model_validate(self._call("POST", f"flow_runs/{_seg(flow_run_id)}/cancel")["state"])

    def retry_flow_run(self, flow_run_id: str) -> StateInfo:
        return StateInfo.model_validate(self._call("POST", f"flow_runs/{_seg(flow_run_id)}/retry")["state"])

    def read_flow_run_states(self, flow_run_id: str) -> list[StateInfo]:
        reply = self._call("GET", "flow_run_states/", params={"flow_run_id": flow_run_id})
        return [StateInfo.model_validate(s) for s in reply]

    # -- task runs and logs ----------------------------------------------------------
    def filter_task_runs(self, request: TaskRunFilterRequest) -> list[TaskRunInfo]:
        reply = self._call("POST", "task_runs/filter", _dump(request), idempotent=True)
        return [TaskRunInfo.model_validate(t) for t in reply]

    def count_task_runs(self, request: TaskRunFilterRequest) -> int:
        return int(self._call("POST", "task_runs/count", _dump(request), idempotent=True))

    def read_task_run(self, task_run_id: str) -> TaskRunInfo:
        return TaskRunInfo.model_validate(self._call("GET", f"task_runs/{_seg(task_run_id)}"))

    def read_task_run_states(self, task_run_id: str) -> list[StateInfo]:
        reply = self._call("GET", "task_run_states/", params={"task_run_id": task_run_id})
        return [StateInfo.model_validate(s) for s in reply]

    def filter_logs(self, request: LogFilterRequest) -> list[LogInfo]:
        reply = self._call("POST", "logs/filter", _dump(request), idempotent=True)
        return [LogInfo.model_validate(line) for line in reply]

    # -- deployments -----------------------------------------------------------------
    def upsert_deployment(self, body: DeploymentCreate) -> DeploymentInfo:
        return DeploymentInfo.model_validate(self._call("POST", "deployments/", _dump(body), idempotent=True))

    def read_deployment(self, ref: str) -> DeploymentInfo:
        if "/" in ref:
            flow_name, _, name = ref.partition("/")
            path = f"deployments/name/{_seg(flow_name)}/{_seg(name)}"
        else:
            path = f"deployments/{_seg(ref)}"
        return DeploymentInfo.model_validate(self._call("GET", path))

    def list_deployments(self, *, project: str | None = None, work_pool_name: str | None = None,
                         flow_name: str | None = None) -> list[DeploymentInfo]:
        params = {k: v for k, v in {"project": project, "work_pool_name": work_pool_name,
                                     "flow_name": flow_name}.items() if v is not None}
        return [DeploymentInfo.model_validate(d) for d in self._call("GET", "deployments/", params=params)]

    def update_deployment(self, ref: str, body: DeploymentUpdate) -> DeploymentInfo:
        deployment_id = self.read_deployment(ref).id
        return DeploymentInfo.model_validate(
            self._call("PATCH", f"deployments/{deployment_id}", _dump(body, exclude_unset=True)))

    def delete_deployment(self, ref: str) -> None:
        self._call("DELETE", f"deployments/{self.read_deployment(ref).id}")

    def create_deployment_run(self, ref: str, body: DeploymentRunCreate) -> FlowRunInfo:
        deployment_id = self.read_deployment(ref).id
        if body.id is None:  # as in create_flow_run
            body = body.model_copy(update={"id": new_id()})
        return FlowRunInfo.model_validate(
            self._call("POST", f"deployments/{deployment_id}/create_flow_run", _dump(body), idempotent=True))

    def backfill(self, ref: str, body: BackfillRequest) -> BackfillResult:
        deployment_id = self.read_deployment(ref).id
        reply = self._call("POST", f"deployments/{deployment_id}/backfill", _dump(body), idempotent=True)
        return BackfillResult.model_validate(reply)

    def deployment_of_flow_run(self, flow_run_id: str) -> DeploymentInfo | None:
        found = self._call("GET", f"deployments/of_flow_run/{_seg(flow_run_id)}")
        return DeploymentInfo.model_validate(found) if found else None

    # -- projects, work pools, workers -----------------------------------------------
    def create_project(self, body: ProjectCreate) -> ProjectInfo:
        return ProjectInfo.model_validate(self._call("POST", "projects/", body.model_dump()))

    def read_project(self, name: str) -> ProjectInfo:
        return ProjectInfo.model_validate(self._call("GET", f"projects/{_seg(name)}"))

    def list_projects(self) -> list[ProjectInfo]:
        return [ProjectInfo.model_validate(p) for p in self._call("GET", "projects/")]

    def create_work_pool(self, body: WorkPoolCreate) -> WorkPoolInfo:
        return WorkPoolInfo.model_validate(self._call("POST", "work_pools/", body.model_dump()))

    def read_work_pool(self, name: str) -> WorkPoolInfo:
        return WorkPoolInfo.model_validate(self._call("GET", f"work_pools/{_seg(name)}"))

    def update_work_pool(self, name: str, body: WorkPoolUpdate) -> WorkPoolInfo:
        return WorkPoolInfo.model_validate(
            self._call("PATCH", f"work_pools/{_seg(name)}", body.model_dump(exclude_unset=True)))

    def list_work_pools(self) -> list[WorkPoolInfo]:
        return [WorkPoolInfo.model_validate(p) for p in self._call("GET", "work_pools/")]

    def list_workers(self, work_pool_name: str | None = None) -> list[WorkerInfo]:
        params = {"work_pool_name": work_pool_name} if work_pool_name else None
        return [WorkerInfo.model_validate(w) for w in self._call("GET", "workers/", params=params)]

    def worker_heartbeat(self, body: WorkerHeartbeat) -> WorkerHeartbeatReply:
        reply = self._call("POST", "workers/heartbeat", _dump(body), idempotent=True)
        return WorkerHeartbeatReply.model_validate(reply)

    def claim_runs(self, body: ClaimRequest) -> list[ClaimedRun]:
        return [ClaimedRun.model_validate(r) for r in self._call("POST", "workers/claim", _dump(body))]

    def crash_flow_run(self, report: CrashReport) -> StateInfo:
        return StateInfo.model_validate(self._call("POST", "workers/crashed", _dump(report), idempotent=True))

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


    # == variables (issue 16) ==========================================================
    # One self-contained block: the variables operations as requests to
    # server/api/variables.py (the names it needs are imported at the end of the file).
    def _variable_path(self, name: str) -> str:
        # A name no variable can have (empty, "/", "..") would not reach the route as one
        # path segment; no such variable exists, so say so without asking.
        from headwater.core.variable_schemas import check_variable_name

        try:
            check_variable_name(name)
        except ValueError:
            raise ObjectNotFound(f"no variable named {name!r} (list them with `headwater variable ls`)") from None
        return f"variables/name/{_seg(name)}"

    def create_variable(self, body: VariableCreate) -> VariableInfo:
        from headwater.core.variable_schemas import VariableInfo

        return VariableInfo.model_validate(self._call("POST", "variables/", _dump(body)))

    def read_variable(self, name: str) -> VariableInfo:
        from headwater.core.variable_schemas import VariableInfo

        return VariableInfo.model_validate(self._call("GET", self._variable_path(name)))

    def read_variable_by_id(self, variable_id: str) -> VariableInfo:
        from headwater.core.variable_schemas import VariableInfo

        return VariableInfo.model_validate(self._call("GET", f"variables/{_seg(variable_id)}"))

    def filter_variables(self, request: VariableFilterRequest) -> list[VariableInfo]:
        from headwater.core.variable_schemas import VariableInfo

        return [VariableInfo.model_validate(v) for v in self._call("POST", "variables/filter", _dump(request), idempotent=True)]

    def count_variables(self, request: VariableCount) -> int:
        return int(self._call("POST", "variables/count", _dump(request), idempotent=True))

    def update_variable(self, name: str, body: VariableUpdate) -> VariableInfo:
        changes = _dump(body, exclude_unset=True)
        # a rename sent twice would find no variable by the old name
        self._call("PATCH", self._variable_path(name), changes, idempotent="name" not in changes)
        return self.read_variable(changes.get("name") or name)

    def delete_variable(self, name: str) -> None:
        self._call("DELETE", self._variable_path(name))

    # == events (issue 17) ==============================================================
    # One self-contained block: the events operations as requests to server/api/events.py
    # (the names it needs are imported at the end of the file).
    def emit_events(self, items: Sequence[Event]) -> int:
        # Each event carries its id and the store keeps an id it has once: sending again is harmless.
        self._call("POST", "events", [_dump(item) for item in items], idempotent=True)
        return len(items)

    def read_events(self, spec: EventFilter | None = None, limit: int = 50) -> EventPage:
        from headwater.core.event_schemas import EventPage

        body = {"filter": _dump(spec) if spec is not None else None, "limit": limit}
        page = EventPage.model_validate(self._call("POST", "events/filter", body, idempotent=True))
        page.next_page = _page_token(page.next_page)
        return page

    def read_events_page(self, token: str) -> EventPage:
        from headwater.core.event_schemas import EventPage

        page = EventPage.model_validate(self._call("GET", "events/filter/next", params={"page-token": token}))
        page.next_page = _page_token(page.next_page)
        return page

    def count_events(self, countable: str, spec: EventFilter | None = None) -> list[EventCount]:
        from headwater.core.event_schemas import EventCount

        body = {"filter": _dump(spec)} if spec is not None else {}
        return [EventCount.model_validate(c) for c in self._call("POST", f"events/count-by/{_seg(countable)}", body,
                                                                    idempotent=True)]

    def stream_events(self, spec: EventFilter | None = None, *, backfill: bool = True,
                      poll_seconds: float = 0.25, stop_after: float | None = None) -> Iterator[ReceivedEvent]:
        """Server-sent events of `GET /api/events/stream`, as they come."""
        import time

        import httpx

        from headwater.core.event_schemas import ReceivedEvent

        params = {"backfill": "true" if backfill else "false"}
        if spec is not None:
            params["filter"] = spec.model_dump_json()
        deadline = None if stop_after is None else time.monotonic() + stop_after
        try:
            with self.api.open_stream("GET", "events/stream", params=params) as response:
                if response.status_code >= 300:
                    response.read()
                    self.api.check(response, "GET events/stream")
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        yield ReceivedEvent.model_validate_json(line[6:])
                    if deadline is not None and time.monotonic() >= deadline:
                        return
        except httpx.TransportError as exc:
            raise self.api.unreachable(exc) from None
    # == artifacts (issue 16) ======================================================
    # One self-contained block: the artifacts operations as requests to
    # server/api/artifacts.py (the names it needs are imported at the end of the file).
    def create_artifact(self, body: ArtifactCreate) -> ArtifactInfo:
        from headwater.core.artifact_schemas import ArtifactInfo

        return ArtifactInfo.model_validate(self._call("POST", "artifacts/", _dump(body, exclude_unset=True)))

    def read_artifact(self, artifact_id: str) -> ArtifactInfo:
        from headwater.core.artifact_schemas import ArtifactInfo

        return ArtifactInfo.model_validate(self._call("GET", f"artifacts/{_seg(artifact_id)}"))

    def read_latest_artifact(self, key: str) -> ArtifactInfo:
        from headwater.core.artifact_schemas import ArtifactInfo, is_artifact_key
        from headwater.exceptions import ObjectNotFound

        if not key or not is_artifact_key(key):  # no artifact can have it: not found, without a request
            raise ObjectNotFound(f"Artifact not found: no artifact with key {key!r}")
        return ArtifactInfo.model_validate(self._call("GET", f"artifacts/{_seg(key)}/latest"))

    def filter_artifacts(self, request: ArtifactFilterRequest) -> list[ArtifactInfo]:
        from headwater.core.artifact_schemas import ArtifactInfo

        return [ArtifactInfo.model_validate(a) for a in self._call("POST", "artifacts/filter", _dump(request), idempotent=True)]

    def count_artifacts(self, request: ArtifactCount) -> int:
        return int(self._call("POST", "artifacts/count", _dump(request), idempotent=True))

    def filter_latest_artifacts(self, request: ArtifactFilterRequest) -> list[ArtifactCollectionInfo]:
        from headwater.core.artifact_schemas import ArtifactCollectionInfo

        found = self._call("POST", "artifacts/latest/filter", _dump(request), idempotent=True)
        return [ArtifactCollectionInfo.model_validate(a) for a in found]

    def count_latest_artifacts(self, request: ArtifactCount) -> int:
        return int(self._call("POST", "artifacts/latest/count", _dump(request), idempotent=True))

    def update_artifact(self, artifact_id: str, body: ArtifactUpdate) -> None:
        self._call("PATCH", f"artifacts/{_seg(artifact_id)}", _dump(body, exclude_unset=True))

    def delete_artifact(self, artifact_id: str) -> None:
        self._call("DELETE", f"artifacts/{_seg(artifact_id)}")

    # == blocks (issue 16) =============================================================
    # One self-contained block: the blocks operations as requests to server/api/blocks.py
    # (the names it needs are imported at the end of the file).
    def create_block_type(self, body: BlockTypeCreate) -> BlockType:
        return BlockType.model_validate(self._call("POST", "block_types/", _dump(body)))

    def read_block_type(self, block_type_id: str) -> BlockType:
        return BlockType.model_validate(self._call("GET", f"block_types/{_seg(block_type_id)}"))

    def read_block_type_by_slug(self, slug: str) -> BlockType:
        return BlockType.model_validate(self._call("GET", f"block_types/slug/{_seg(slug)}"))

    def filter_block_types(self, request: BlockTypeFilterRequest) -> list[BlockType]:
        return [BlockType.model_validate(t) for t in self._call("POST", "block_types/filter", _dump(request), idempotent=True)]

    def update_block_type(self, block_type_id: str, body: BlockTypeUpdate) -> BlockType:
        self._call("PATCH", f"block_types/{_seg(block_type_id)}", _dump(body, exclude_unset=True))
        return self.read_block_type(block_type_id)

    def delete_block_type(self, block_type_id: str) -> None:
        self._call("DELETE", f"block_types/{_seg(block_type_id)}")

    def create_block_schema(self, body: BlockSchemaCreate) -> BlockSchema:
        return BlockSchema.model_validate(self._call("POST", "block_schemas/", _dump(body)))

    def read_block_schema(self, block_schema_id: str) -> BlockSchema:
        return BlockSchema.model_validate(self._call("GET", f"block_schemas/{_seg(block_schema_id)}"))

    def read_block_schema_by_checksum(self, checksum: str, version: str | None = None) -> BlockSchema:
        params = {"version": version} if version is not None else None
        return BlockSchema.model_validate(self._call("GET", f"block_schemas/checksum/{_seg(checksum)}",
                                                     params=params))

    def filter_block_schemas(self, request: BlockSchemaFilterRequest) -> list[BlockSchema]:
        return [BlockSchema.model_validate(s) for s in self._call("POST", "block_schemas/filter", _dump(request), idempotent=True)]

    def delete_block_schema(self, block_schema_id: str) -> None:
        self._call("DELETE", f"block_schemas/{_seg(block_schema_id)}")

    def create_block_document(self, body: BlockDocumentCreate) -> BlockDocument:
        return BlockDocument.model_validate(self._call("POST", "block_documents/", _dump(body)))

    def read_block_document(self, block_document_id: str, include_secrets: bool = False) -> BlockDocument:
        return BlockDocument.model_validate(self._call("GET", f"block_documents/{_seg(block_document_id)}",
                                                       params=_secrets(include_secrets)))

    def read_block_document_by_name(self, slug: str, name: str, include_secrets: bool = False) -> BlockDocument:
        from headwater.core.block_schemas import check_block_name

        try:  # a name no document can have would not reach the route as one path segment
            check_block_name(name)
            check_block_name(slug, "Block type slug")
        except ValueError:
            raise ObjectNotFound(f"no block document named {name!r} of block type {slug!r}") from None
        path = f"block_types/slug/{_seg(slug)}/block_documents/name/{_seg(name)}"
        return BlockDocument.model_validate(self._call("GET", path, params=_secrets(include_secrets)))

    def filter_block_documents(self, request: BlockDocumentFilterRequest) -> list[BlockDocument]:
        return [BlockDocument.model_validate(d) for d in self._call("POST", "block_documents/filter",
                                                                    _dump(request), idempotent=True)]

    def count_block_documents(self, request: BlockDocumentCount) -> int:
        return int(self._call("POST", "block_documents/count", _dump(request), idempotent=True))

    def update_block_document(self, block_document_id: str, body: BlockDocumentUpdate) -> None:
        self._call("PATCH", f"block_documents/{_seg(block_document_id)}", _dump(body))

    def delete_block_document(self, block_document_id: str) -> None:
        self._call("DELETE", f"block_documents/{_seg(block_document_id)}")
    # == end of blocks (methods) =======================================================


if TYPE_CHECKING:
    from headwater.core.variable_schemas import (
        VariableCount,
        VariableCreate,
        VariableFilterRequest,
        VariableInfo,
        VariableUpdate,
    )
# == end of variables ==================================================================


def _page_token(link: str | None) -> str | None:
    """The page token of a `next_page` link (the operations pass tokens, the API links)."""
    if not link:
        return None
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(link).query).get("page-token", [None])[0]


if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from headwater.core.event_schemas import Event, EventCount, EventFilter, EventPage, ReceivedEvent
# == end of events =====================================================================
if TYPE_CHECKING:
    from headwater.core.artifact_schemas import (
        ArtifactCollectionInfo,
        ArtifactCount,
        ArtifactCreate,
        ArtifactFilterRequest,
        ArtifactInfo,
        ArtifactUpdate,
    )
# == end of artifacts ==================================================================

# == blocks (issue 16): the names the block methods above use ================================
from headwater.core.block_schemas import (  # noqa: E402  (pydantic models, needed at run time)
    BlockDocument,
    BlockSchema,
    BlockType,
)

if TYPE_CHECKING:
    from headwater.core.block_schemas import (
        BlockDocumentCount,
        BlockDocumentCreate,
        BlockDocumentFilterRequest,
        BlockDocumentUpdate,
        BlockSchemaCreate,
        BlockSchemaFilterRequest,
        BlockTypeCreate,
        BlockTypeFilterRequest,
        BlockTypeUpdate,
    )


def _secrets(include_secrets: bool) -> dict[str, str]:
    return {"include_secrets": "true"} if include_secrets else {}
# == end of blocks =========================================================================
