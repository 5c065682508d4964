"""`Operations`: the control plane over one store (see the package docstring).

The methods are grouped by resource; a group that grows past a screen moves to its
own module. Methods with logic beyond one store call (cancel, retry, the scheduler's
pass, limit checks) hold it here so that every caller gets the same rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.operations.events import EventOperations
from headwater.operations.artifacts import ArtifactOperations
from headwater.operations.assets import AssetOperations
from headwater.operations.automations import AutomationOperations
from headwater.operations.background import BackgroundOperations
from headwater.operations.blocks import BlockOperations
from headwater.operations.flow_run_input import FlowRunInputOperations
from headwater.operations.flow_runs import FlowRunOperations
from headwater.operations.task_runs import TaskRunOperations
from headwater.operations.variables import VariableOperations

if TYPE_CHECKING:
    from headwater.core.api_schemas import LogCreate, LogFilterRequest, TaskRunDependencies, TaskRunFilterRequest
    from headwater.core.deployment_schemas import (
        BackfillRequest,
        BackfillResult,
        ClaimedRun,
        ClaimRequest,
        CrashReport,
        DeploymentCreate,
        DeploymentInfo,
        DeploymentRunCreate,
        DeploymentUpdate,
        ProjectCreate,
        ProjectInfo,
        WorkerHeartbeat,
        WorkerHeartbeatReply,
        WorkerInfo,
        WorkPoolCreate,
        WorkPoolInfo,
        WorkPoolStorage,
        WorkPoolUpdate,
    )
    from headwater.core.limits import ConcurrencyLimitInfo, LimitKind
    from headwater.core.run_updates import ScheduleUpdate
    from headwater.core.schemas import FlowRunInfo, LogInfo, StateInfo, TaskRunInfo
    from headwater.core.settings import Settings
    from headwater.store import Store

__all__ = ["Operations"]


class Operations(FlowRunOperations, VariableOperations, ArtifactOperations, BlockOperations, EventOperations,
                 AssetOperations, AutomationOperations, FlowRunInputOperations, BackgroundOperations,
                 TaskRunOperations):
    """The control plane over `store` (the embedded database or the server's).

    Args:
        store: the open store; not closed here unless `own_store`.
        settings: the settings (scheduler horizon, late and zombie thresholds).
        own_store: close the store in `close()`.
    """

    def __init__(self, store: Store, settings: Settings | None = None, *, own_store: bool = False) -> None:
        self.store = store
        self._settings = settings
        self._own = own_store
        self.url = store.url

    @property
    def settings(self) -> Settings:
        """The settings given, or the process's settings."""
        if self._settings is None:
            from headwater.core.settings import get_settings

            self._settings = get_settings()
        return self._settings

    def close(self) -> None:
        """Close the store if this object owns it."""
        if self._own:
            self.store.close()

    def __enter__(self) -> Operations:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


    # -- task runs and logs ----------------------------------------------------------
    def filter_task_runs(self, request: TaskRunFilterRequest) -> list[TaskRunInfo]:
        """One page of the task runs matching the request."""
        return self.store.history.filter_task_runs(request)

    def count_task_runs(self, request: TaskRunFilterRequest) -> int:
        """How many task runs match."""
        return self.store.history.count_task_runs(request)

    def read_task_run(self, task_run_id: str) -> TaskRunInfo:
        """A task run by id. Raises `ObjectNotFound`."""
        return self.store.history.read_task_run(task_run_id)

    def read_task_run_states(self, task_run_id: str) -> list[StateInfo]:
        """Every state of the task run, oldest first. Raises `ObjectNotFound`."""
        self.store.history.read_task_run(task_run_id)
        return self.store.history.read_states(task_run_id)

    def flow_run_graph(self, flow_run_id: str) -> list[TaskRunDependencies]:
        """Each task run of the flow run with the task runs that fed it."""
        return self.store.history.flow_run_graph(flow_run_id)

    def write_logs(self, lines: list[LogCreate]) -> int:
        """Store log lines; returns how many."""
        return self.store.history.write_logs(lines)

    def filter_logs(self, request: LogFilterRequest) -> list[LogInfo]:
        """One page of the log lines matching the request."""
        return self.store.history.filter_logs(request)

    def logs_after(self, request: LogsAfterRequest) -> list[StoredLog]:
        """One flow run's log lines in the order they were stored, after a sequence number."""
        return self.store.history.logs_after(request)

    # -- deployments -----------------------------------------------------------------
    def _pool_template(self, work_pool_name: str | None) -> dict[str, Any] | None:
        """The template job variables are checked against: the pool's, or the process
        type's for a deployment served by `flow.serve()` (which runs processes); None
        for a pool not created yet (the store creates "default" and refuses others)."""
        from headwater.core.job_templates import default_base_job_template
        from headwater.exceptions import ObjectNotFound

        if work_pool_name is None:
            return default_base_job_template("process")
        try:
            return self.store.workers.read_work_pool(work_pool_name).base_job_template
        except ObjectNotFound:
            return default_base_job_template("process") if work_pool_name == "default" else None

    def upsert_deployment(self, body: DeploymentCreate) -> DeploymentInfo:
        """Create the deployment or update the one with its flow and name; its job
        variables are checked against its pool's template (`ParameterValidationError`)."""
        from headwater.core.job_templates import check_job_variables

        if body.job_variables:
            check_job_variables(self._pool_template(body.work_pool_name), body.job_variables, final=False,
                                what=f"deployment '{body.flow_name}/{body.name}'")
        info = self.store.deployments.upsert_deployment(body)
        self.deployment_event("updated" if info.created != info.updated else "created", info)
        return info

    def read_deployment(self, ref: str) -> DeploymentInfo:
        """A deployment by id or `flow/name`. Raises `ObjectNotFound`."""
        return self.store.deployments.read_deployment(ref)

    def list_deployments(self, *, project: str | None = None, work_pool_name: str | None = None,
                         flow_name: str | None = None) -> list[DeploymentInfo]:
        """Deployments by flow and name, optionally of one project, pool or flow."""
        return self.store.deployments.list_deployments(project=project, work_pool_name=work_pool_name,
                                                       flow_name=flow_name)

    def update_deployment(self, ref: str, body: DeploymentUpdate) -> DeploymentInfo:
        """Pause, resume or change a deployment."""
        from headwater.core.job_templates import check_job_variables

        if body.job_variables:
            info = self.store.deployments.read_deployment(ref)
            check_job_variables(self._pool_template(info.work_pool_name), body.job_variables, final=False,
                                what=f"deployment {info.full_name!r}")
        info = self.store.deployments.update_deployment(ref, body)
        self.deployment_event("updated", info)
        return info

    def update_deployment_schedule(self, ref: str, schedule_id: str, body: ScheduleUpdate) -> DeploymentInfo:
        """Switch one schedule on or off or change it; runs are scheduled ahead again.

        Raises:
            ObjectNotFound: no such deployment or schedule.
        """
        return self.store.deployments.update_deployment_schedule(ref, schedule_id, body)

    def delete_deployment(self, ref: str) -> None:
        """Delete a deployment with its schedules and runs not started."""
        info = self.store.deployments.read_deployment(ref)
        self.store.deployments.delete_deployment(ref)
        self.deployment_event("deleted", info)

    def create_deployment_run(self, ref: str, body: DeploymentRunCreate) -> FlowRunInfo:
        """A SCHEDULED run of the deployment; parameters checked against its schema, and
        job variables (the deployment's, then the run's) against its pool's template."""
        from headwater.core.job_templates import check_job_variables

        info = self.store.deployments.read_deployment(ref)
        check_job_variables(self._pool_template(info.work_pool_name), info.job_variables, body.job_variables,
                            final=True, what=f"a run of deployment {info.full_name!r}")
        return self.store.deployments.create_deployment_run(ref, body)

    def backfill(self, ref: str, body: BackfillRequest) -> BackfillResult:
        """Create the runs the deployment's schedules had due from `start` to `end`."""
        from headwater.exceptions import ParameterValidationError

        if body.end < body.start:
            raise ParameterValidationError("body.end: the end is before the start")
        return self.store.deployments.backfill_deployment(ref, body.start.timestamp(), body.end.timestamp(),
                                                          limit=body.limit)

    def deployment_of_flow_run(self, flow_run_id: str) -> DeploymentInfo | None:
        """The deployment a run came from, or None."""
        return self.store.deployments.deployment_of_flow_run(flow_run_id)

    # -- projects, work pools, workers -----------------------------------------------
    def create_project(self, body: ProjectCreate) -> ProjectInfo:
        """Create a project. Raises `ObjectAlreadyExists`."""
        return self.store.deployments.create_project(body.name, body.description)

    def read_project(self, name: str) -> ProjectInfo:
        """A project by name. Raises `ObjectNotFound`."""
        return self.store.deployments.read_project(name)

    def list_projects(self) -> list[ProjectInfo]:
        """Every project by name."""
        return self.store.deployments.list_projects()

    def create_work_pool(self, body: WorkPoolCreate) -> WorkPoolInfo:
        """Create a work pool. Raises `ObjectAlreadyExists`; `ParameterValidationError` for
        a base job template that is not valid, or an unknown type given without one."""
        from headwater.core.job_templates import check_base_job_template, default_base_job_template

        if body.base_job_template:
            check_base_job_template(body.base_job_template)
        else:
            default_base_job_template(body.type)  # an unknown type needs its own template
        self._check_pool_storage(body.storage_configuration)
        info = self.store.workers.create_work_pool(body)
        self.work_pool_event("created", info)
        return info

    def read_work_pool(self, name: str) -> WorkPoolInfo:
        """A work pool by name. Raises `ObjectNotFound`."""
        return self.store.workers.read_work_pool(name)

    def update_work_pool(self, name: str, body: WorkPoolUpdate) -> WorkPoolInfo:
        """Change a work pool (a new base job template is checked first)."""
        from headwater.core.job_templates import check_base_job_template

        if body.base_job_template:
            check_base_job_template(body.base_job_template)
        self._check_pool_storage(body.storage_configuration)
        info = self.store.workers.update_work_pool(name, body)
        self.work_pool_event("updated", info)
        return info

    def _check_pool_storage(self, storage: WorkPoolStorage | None) -> None:
        """A pool's result storage block must exist (a dangling id would fail only later, in a run)."""
        from headwater.exceptions import ObjectNotFound, ParameterValidationError

        block_id = storage.default_result_storage_block_id if storage is not None else None
        if block_id is None:
            return
        try:
            self.store.blocks.read_block_document(str(block_id))
        except ObjectNotFound:
            raise ParameterValidationError(
                f"storage_configuration.default_result_storage_block_id: no block document with id {str(block_id)!r};"
                " create the storage block first (`headwater block ls` lists them)") from None

    def list_work_pools(self) -> list[WorkPoolInfo]:
        """Every work pool by name."""
        return self.store.workers.list_work_pools()

    def list_workers(self, work_pool_name: str | None = None) -> list[WorkerInfo]:
        """The workers (of one pool)."""
        return self.store.workers.list_workers(work_pool_name=work_pool_name)

    def worker_heartbeat(self, body: WorkerHeartbeat) -> WorkerHeartbeatReply:
        """A worker is alive; the reply says which of its runs to cancel."""
        reply = self.store.workers.worker_heartbeat(body)
        self.worker_event(body)
        return reply

    def claim_runs(self, body: ClaimRequest) -> list[ClaimedRun]:
        """Claim due runs for a worker (each run claimed by one worker only)."""
        return self.resolve_claimed_parameters(self.store.workers.claim_runs(body))

    def crash_flow_run(self, report: CrashReport) -> StateInfo:
        """A run's process died: Crashed, or AwaitingRetry when retries remain."""
        return self.store.workers.crash_flow_run(report)

    def scheduler_pass(self, now: float) -> int:
        """What the server's services do, for a worker with no server: schedule runs
        ahead, mark late runs, crash orphaned claims and zombies. Returns the changes."""
        settings = self.settings
        late_after = settings.late_run_after_seconds
        changed = self.store.scheduling.schedule_runs(now, horizon_seconds=settings.scheduler_horizon_seconds,
                                           late_after_seconds=late_after)
        changed += len(self.store.scheduling.skip_late_runs(now, late_after))
        changed += len(self.store.workers.crash_orphaned_claims(now, settings.zombie_after_seconds))
        changed += len(self.store.maintenance.crash_zombie_runs(now, settings.zombie_after_seconds))
        changed += len(self.store.flow_run_input.fail_expired_pauses(now))
        return changed

    # -- concurrency limits (names are limit keys: `name` or `tag:<tag>`) ---------------
    def create_concurrency_limit(self, name: str, limit: int, *, slot_decay_per_second: float = 0.0,
                                 active: bool = True) -> ConcurrencyLimitInfo:
        """Create a limit. Raises `ConcurrencyLimitError` (bad values, or the name is taken)."""
        return self.store.limits.create_concurrency_limit(name, limit, slot_decay_per_second=slot_decay_per_second,
                                                          active=active)

    def read_concurrency_limit(self, name: str) -> ConcurrencyLimitInfo:
        """A limit with its slots in use and holders. Raises `ObjectNotFound`."""
        return self.store.limits.read_concurrency_limit(name)

    def list_concurrency_limits(self, *, kind: LimitKind | None = None,
                                with_holders: bool = True) -> list[ConcurrencyLimitInfo]:
        """Every limit (of one kind), by name."""
        return self.store.limits.list_concurrency_limits(kind=kind, with_holders=with_holders)

    def update_concurrency_limit(self, name: str, *, limit: int | None = None,
                                 slot_decay_per_second: float | None = None,
                                 active: bool | None = None) -> ConcurrencyLimitInfo:
        """Change a limit; slots held stay held."""
        return self.store.limits.update_concurrency_limit(name, limit=limit,
                                                          slot_decay_per_second=slot_decay_per_second, active=active)

    def delete_concurrency_limit(self, name: str) -> None:
        """Delete a limit and its leases. Raises `ObjectNotFound`."""
        self.store.limits.delete_concurrency_limit(name)

    def reset_concurrency_limit(self, name: str) -> None:
        """Release every lease held on a limit, at once. Raises `ObjectNotFound`."""
        self.store.limits.reset_concurrency_limit(name)


if TYPE_CHECKING:  # the names of `Operations.logs_after`
    from headwater.core.api_schemas import LogsAfterRequest
    from headwater.core.schemas import StoredLog
