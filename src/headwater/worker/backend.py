"""Where a worker gets its runs: a headwater server's API, or the database directly.

`WorkerBackend` is the narrow interface the worker loop uses. `ApiBackend` talks to
the server named by `HEADWATER_API_URL`; `StoreBackend` uses the store itself, for
`flow.serve()` and `headwater worker start` with no server (the zero-infrastructure
default), and then also runs the scheduler's pass, since no server does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from headwater.core.deployment_schemas import (
    ClaimedRun,
    ClaimRequest,
    CrashReport,
    WorkerHeartbeat,
    WorkerHeartbeatReply,
)

if TYPE_CHECKING:
    from headwater.core.deployment_schemas import (
        BackfillRequest,
        BackfillResult,
        DeploymentCreate,
        DeploymentInfo,
        DeploymentRunCreate,
        DeploymentUpdate,
        ProjectCreate,
        ProjectInfo,
        WorkerInfo,
        WorkPoolCreate,
        WorkPoolInfo,
        WorkPoolUpdate,
    )
    from headwater.core.schemas import FlowRunInfo, StateInfo
    from headwater.core.settings import Settings
    from headwater.store import Store

__all__ = ["ApiBackend", "StoreBackend", "WorkerBackend", "open_backend"]


class WorkerBackend(Protocol):
    """What a worker asks of the server (or the database)."""

    url: str

    def heartbeat(self, body: WorkerHeartbeat) -> WorkerHeartbeatReply: ...

    def claim(self, body: ClaimRequest) -> list[ClaimedRun]: ...

    def read_flow_run(self, flow_run_id: str) -> FlowRunInfo: ...

    def set_state(self, flow_run_id: str, state_type: str, *, name: str | None = None, message: str | None = None,
                  force: bool = False) -> StateInfo: ...

    def crash_flow_run(self, report: CrashReport) -> StateInfo: ...

    def upsert_deployment(self, body: DeploymentCreate) -> DeploymentInfo: ...

    def read_deployment(self, ref: str) -> DeploymentInfo: ...

    def create_deployment_run(self, ref: str, body: DeploymentRunCreate) -> FlowRunInfo: ...

    def read_project(self, name: str) -> Any: ...

    def scheduler_pass(self, now: float) -> int: ...

    def close(self) -> None: ...


class ApiBackend:
    """The worker's calls as requests to a headwater server (errors as headwater's exceptions:
    `StoreError` when the server cannot be reached, so the worker waits and reconnects)."""

    def __init__(self, settings: Settings) -> None:
        from headwater.orchestrator.http import ApiClient

        self.client = ApiClient(settings)
        self.url = self.client.url

    def heartbeat(self, body: WorkerHeartbeat) -> WorkerHeartbeatReply:
        return WorkerHeartbeatReply.model_validate(
            self.client.call("POST", "workers/heartbeat", json_body=body.model_dump(mode="json")))

    def claim(self, body: ClaimRequest) -> list[ClaimedRun]:
        return [ClaimedRun.model_validate(run)
                for run in self.client.call("POST", "workers/claim", json_body=body.model_dump(mode="json"))]

    def read_flow_run(self, flow_run_id: str) -> FlowRunInfo:
        from headwater.core.schemas import FlowRunInfo

        return FlowRunInfo.model_validate(self.client.call("GET", f"flow_runs/{flow_run_id}"))

    def set_state(self, flow_run_id: str, state_type: str, *, name: str | None = None, message: str | None = None,
                  force: bool = False) -> StateInfo:
        from headwater.core.schemas import StateInfo

        state: dict[str, Any] = {"type": state_type}
        if name:
            state["name"] = name
        if message:
            state["message"] = message[:100_000]
        reply = self.client.call("POST", f"flow_runs/{flow_run_id}/set_state",
                                 json_body={"state": state, "force": force})
        return StateInfo.model_validate(reply["state"])

    def crash_flow_run(self, report: CrashReport) -> StateInfo:
        from headwater.core.schemas import StateInfo

        return StateInfo.model_validate(
            self.client.call("POST", "workers/crashed", json_body=report.model_dump(mode="json")))

    def upsert_deployment(self, body: DeploymentCreate) -> DeploymentInfo:
        from headwater.core.deployment_schemas import DeploymentInfo

        return DeploymentInfo.model_validate(
            self.client.call("POST", "deployments/", json_body=body.model_dump(mode="json", exclude_unset=False)))

    def read_deployment(self, ref: str) -> DeploymentInfo:
        from headwater.core.deployment_schemas import DeploymentInfo

        path = f"deployments/name/{ref}" if "/" in ref else f"deployments/{ref}"
        return DeploymentInfo.model_validate(self.client.call("GET", path))

    def create_deployment_run(self, ref: str, body: DeploymentRunCreate) -> FlowRunInfo:
        from headwater.core.schemas import FlowRunInfo

        deployment_id = self.read_deployment(ref).id
        return FlowRunInfo.model_validate(self.client.call(
            "POST", f"deployments/{deployment_id}/create_flow_run", json_body=body.model_dump(mode="json")))

    def read_project(self, name: str) -> Any:
        from urllib.parse import quote

        return self.client.call("GET", f"projects/{quote(name, safe='')}")

    def scheduler_pass(self, now: float) -> int:
        return 0  # the server's scheduler service does it

    # -- for the CLI -----------------------------------------------------------------

    def list_deployments(self, **filters: str | None) -> list[DeploymentInfo]:
        from headwater.core.deployment_schemas import DeploymentInfo

        params = {k: v for k, v in filters.items() if v is not None}
        return [DeploymentInfo.model_validate(d) for d in self.client.call("GET", "deployments/", params=params)]

    def update_deployment(self, ref: str, body: DeploymentUpdate) -> DeploymentInfo:
        from headwater.core.deployment_schemas import DeploymentInfo

        deployment_id = self.read_deployment(ref).id
        return DeploymentInfo.model_validate(self.client.call(
            "PATCH", f"deployments/{deployment_id}", json_body=body.model_dump(mode="json", exclude_unset=True)))

    def delete_deployment(self, ref: str) -> None:
        self.client.call("DELETE", f"deployments/{self.read_deployment(ref).id}")

    def backfill(self, ref: str, body: BackfillRequest) -> BackfillResult:
        from headwater.core.deployment_schemas import BackfillResult

        return BackfillResult.model_validate(self.client.call(
            "POST", f"deployments/{self.read_deployment(ref).id}/backfill", json_body=body.model_dump(mode="json")))

    def deployment_of_flow_run(self, flow_run_id: str) -> DeploymentInfo | None:
        from headwater.core.deployment_schemas import DeploymentInfo

        found = self.client.call("GET", f"deployments/of_flow_run/{flow_run_id}")
        return DeploymentInfo.model_validate(found) if found else None

    def create_project(self, body: ProjectCreate) -> ProjectInfo:
        from headwater.core.deployment_schemas import ProjectInfo

        return ProjectInfo.model_validate(self.client.call("POST", "projects/", json_body=body.model_dump()))

    def list_projects(self) -> list[ProjectInfo]:
        from headwater.core.deployment_schemas import ProjectInfo

        return [ProjectInfo.model_validate(p) for p in self.client.call("GET", "projects/")]

    def create_work_pool(self, body: WorkPoolCreate) -> WorkPoolInfo:
        from headwater.core.deployment_schemas import WorkPoolInfo

        return WorkPoolInfo.model_validate(self.client.call("POST", "work_pools/", json_body=body.model_dump()))

    def update_work_pool(self, name: str, body: WorkPoolUpdate) -> WorkPoolInfo:
        from headwater.core.deployment_schemas import WorkPoolInfo

        return WorkPoolInfo.model_validate(self.client.call(
            "PATCH", f"work_pools/{name}", json_body=body.model_dump(exclude_unset=True)))

    def list_work_pools(self) -> list[WorkPoolInfo]:
        from headwater.core.deployment_schemas import WorkPoolInfo

        return [WorkPoolInfo.model_validate(p) for p in self.client.call("GET", "work_pools/")]

    def list_workers(self, work_pool_name: str | None = None) -> list[WorkerInfo]:
        from headwater.core.deployment_schemas import WorkerInfo

        params = {"work_pool_name": work_pool_name} if work_pool_name else None
        return [WorkerInfo.model_validate(w) for w in self.client.call("GET", "workers/", params=params)]

    def cancel_flow_run(self, flow_run_id: str) -> StateInfo:
        from headwater.core.schemas import StateInfo

        return StateInfo.model_validate(self.client.call("POST", f"flow_runs/{flow_run_id}/cancel")["state"])

    def retry_flow_run(self, flow_run_id: str) -> StateInfo:
        from headwater.core.schemas import StateInfo

        return StateInfo.model_validate(self.client.call("POST", f"flow_runs/{flow_run_id}/retry")["state"])

    def close(self) -> None:
        self.client.close()


class StoreBackend:
    """The worker's calls answered by the database itself (no server)."""

    def __init__(self, store: Store, settings: Settings, *, own_store: bool = True) -> None:
        self.store = store
        self.settings = settings
        self.url = store.url
        self._own = own_store
        self._started = None

    def heartbeat(self, body: WorkerHeartbeat) -> WorkerHeartbeatReply:
        return self.store.worker_heartbeat(body)

    def claim(self, body: ClaimRequest) -> list[ClaimedRun]:
        return self.store.claim_runs(body)

    def read_flow_run(self, flow_run_id: str) -> FlowRunInfo:
        return self.store.read_flow_run_by_id(flow_run_id)

    def set_state(self, flow_run_id: str, state_type: str, *, name: str | None = None, message: str | None = None,
                  force: bool = False) -> StateInfo:
        from headwater.core.states import StateType

        return self.store.set_flow_run_state(flow_run_id, StateType(state_type), name=name, message=message,
                                             force=force)

    def crash_flow_run(self, report: CrashReport) -> StateInfo:
        return self.store.crash_flow_run(report)

    def upsert_deployment(self, body: DeploymentCreate) -> DeploymentInfo:
        return self.store.upsert_deployment(body)

    def read_deployment(self, ref: str) -> DeploymentInfo:
        return self.store.read_deployment(ref)

    def create_deployment_run(self, ref: str, body: DeploymentRunCreate) -> FlowRunInfo:
        return self.store.create_deployment_run(ref, body)

    def read_project(self, name: str) -> Any:
        return self.store.read_project(name)

    def scheduler_pass(self, now: float) -> int:
        late_after = self.settings.late_run_after_seconds
        changed = self.store.schedule_runs(now, horizon_seconds=self.settings.scheduler_horizon_seconds,
                                           late_after_seconds=late_after)
        changed += len(self.store.skip_late_runs(now, late_after))
        changed += len(self.store.crash_orphaned_claims(now, self.settings.zombie_after_seconds))
        changed += len(self.store.crash_zombie_runs(now, self.settings.zombie_after_seconds))
        return changed

    # -- for the CLI -----------------------------------------------------------------

    def list_deployments(self, **filters: str | None) -> list[DeploymentInfo]:
        return self.store.list_deployments(**filters)  # type: ignore[arg-type]

    def update_deployment(self, ref: str, body: DeploymentUpdate) -> DeploymentInfo:
        return self.store.update_deployment(ref, body)

    def delete_deployment(self, ref: str) -> None:
        self.store.delete_deployment(ref)

    def backfill(self, ref: str, body: BackfillRequest) -> BackfillResult:
        return self.store.backfill_deployment(ref, body.start.timestamp(), body.end.timestamp(), limit=body.limit)

    def deployment_of_flow_run(self, flow_run_id: str) -> DeploymentInfo | None:
        return self.store.deployment_of_flow_run(flow_run_id)

    def create_project(self, body: ProjectCreate) -> ProjectInfo:
        return self.store.create_project(body.name, body.description)

    def list_projects(self) -> list[ProjectInfo]:
        return self.store.list_projects()

    def create_work_pool(self, body: WorkPoolCreate) -> WorkPoolInfo:
        return self.store.create_work_pool(body)

    def update_work_pool(self, name: str, body: WorkPoolUpdate) -> WorkPoolInfo:
        return self.store.update_work_pool(name, body)

    def list_work_pools(self) -> list[WorkPoolInfo]:
        return self.store.list_work_pools()

    def list_workers(self, work_pool_name: str | None = None) -> list[WorkerInfo]:
        return self.store.list_workers(work_pool_name=work_pool_name)

    def cancel_flow_run(self, flow_run_id: str) -> StateInfo:
        return self.store.cancel_flow_run(flow_run_id)

    def retry_flow_run(self, flow_run_id: str) -> StateInfo:
        return self.store.retry_flow_run(flow_run_id)

    def close(self) -> None:
        if self._own:
            self.store.close()


def open_backend(settings: Settings) -> WorkerBackend:
    """The server's API when `HEADWATER_API_URL` is set, else the database.

    Raises:
        ConfigurationError: the settings are invalid.
        StoreError: the database cannot be opened.
    """
    if settings.api_url:
        return ApiBackend(settings)
    from headwater.store import open_store

    return StoreBackend(open_store(settings), settings)
