"""Deployments: create or update, read by id or name, list, pause, resume, delete, schedules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from headwater.client import convert as c
from headwater.client.methods.base import ClientBase, refuse_unsupported
from headwater.client.schemas import objects as o

if TYPE_CHECKING:
    from headwater.client.schemas import actions as a
    from headwater.client.schemas import filters as f
    from headwater.core.deployment_schemas import DeploymentInfo

__all__ = ["DeploymentMethods"]


class DeploymentMethods(ClientBase):
    """The client's deployment methods (`read_deployment_by_name`, `read_deployments`, ...)."""

    def _deployments(self, infos: list[DeploymentInfo]) -> list[o.Deployment]:
        """The client's deployments, with their flows' ids read in one query."""
        flow_ids = self._flow_ids({info.flow_name for info in infos})
        return [c.to_deployment(info, flow_ids[info.flow_name]) for info in infos]

    def _flow_ids(self, names: set[str]) -> dict[str, str]:
        """Flow ids by name, one query per 1,000 names; a flow missing (a deployment
        registered before its flow ever ran) is created, as Prefect always has one."""
        from headwater.core.api_schemas import MAX_PAGE, FlowFilter, FlowFilterRequest

        ops = self.transport
        wanted = sorted(names)
        ids: dict[str, str] = {}
        for start in range(0, len(wanted), MAX_PAGE):
            chunk = wanted[start:start + MAX_PAGE]
            request = FlowFilterRequest(flows=FlowFilter.model_validate({"name": {"any_": chunk}}), limit=MAX_PAGE)
            ids.update({flow.name: flow.id for flow in ops.filter_flows(request)})
        for name in wanted:
            if name not in ids:
                ids[name] = ops.ensure_flow(name).id
        return ids

    def create_deployment(self, flow_id: UUID | str, name: str, version: str | None = None,
                          concurrency_limit: int | None = None, parameters: dict[str, Any] | None = None,
                          description: str | None = None, work_pool_name: str | None = None,
                          tags: list[str] | None = None, entrypoint: str | None = None,
                          parameter_openapi_schema: dict[str, Any] | None = None, paused: bool | None = None,
                          schedules: list[a.DeploymentScheduleCreate] | None = None,
                          concurrency_options: Any = None, **unsupported: Any) -> UUID:
        """Create the deployment `name` of a flow, or update the one with that name; its id.

        Sent as Prefect's `DeploymentCreate`. headwater runs a deployment with
        `flow.serve()` (no `work_pool_name`) or a worker of its pool; without an
        `entrypoint` it can be triggered but not run. Work queues, storage and version
        info are not kept; job variables are checked against the pool's job template.

        Raises:
            ObjectNotFound: no flow has `flow_id`.
            ValueError: a schedule with per-schedule parameters, slug or run cap (not kept).
        """
        from headwater.client.schemas.run_actions import DeploymentCreate
        from headwater.core.deployment_schemas import DeploymentCreate as Upsert
        from headwater.core.deployment_schemas import ScheduleSpec

        ignored = {k: unsupported.pop(k) for k in (
            "work_queue_name", "job_variables", "enforce_parameter_schema", "pull_steps", "path",
            "storage_document_id", "infrastructure_document_id", "version_info", "branch", "base", "root")
            if unsupported.get(k) is not None}
        refuse_unsupported(unsupported)
        body = DeploymentCreate(
            flow_id=flow_id, name=name, version=version, concurrency_limit=concurrency_limit,
            concurrency_options=c.concurrency_options(concurrency_options), parameters=parameters or {},
            description=description, work_pool_name=work_pool_name, tags=list(tags or ()), entrypoint=entrypoint,
            parameter_openapi_schema=parameter_openapi_schema, paused=paused, schedules=list(schedules or ()),
            **ignored)
        ops = self._ops()
        flow = ops.read_flow(flow_id=str(body.flow_id))
        info = ops.upsert_deployment(Upsert(
            name=body.name, flow_name=flow.name, entrypoint=body.entrypoint or "(no entrypoint)",
            version=body.version, concurrency_limit=body.concurrency_limit,
            concurrency_options=body.concurrency_options, parameters=c.jsonable(body.parameters),
            description=body.description, work_pool_name=body.work_pool_name, tags=body.tags,
            parameter_schema=body.parameter_openapi_schema, paused=bool(body.paused), create_project=True,
            schedules=[ScheduleSpec(**schedule.schedule_spec()) for schedule in body.schedules],
            job_variables=c.jsonable(body.job_variables),
            pull_steps=c.jsonable(body.pull_steps) if body.pull_steps is not None else None))
        return UUID(info.id)

    def update_deployment_schedule(self, deployment_id: UUID | str, schedule_id: UUID | str,
                                   active: bool | None = None, schedule: Any = None,
                                   max_scheduled_runs: int | None = None, parameters: dict[str, Any] | None = None,
                                   slug: str | None = None) -> None:
        """Switch one schedule of a deployment on or off, or change what it says (a
        `CronSchedule`, `IntervalSchedule` or `RRuleSchedule`); sent as Prefect's
        `DeploymentScheduleUpdate`. The runs it had scheduled ahead are replaced.

        Raises:
            ObjectNotFound: no such deployment or schedule.
            ValueError: `max_scheduled_runs`, `parameters` or `slug` (not kept per schedule).
        """
        from headwater.client.schemas.run_actions import DeploymentScheduleUpdate, refuse_fields
        from headwater.core.deployment_schemas import ScheduleSpec
        from headwater.core.run_updates import ScheduleUpdate

        given = dict(active=active, schedule=schedule, max_scheduled_runs=max_scheduled_runs, parameters=parameters,
                     slug=slug)
        body = DeploymentScheduleUpdate(**{k: v for k, v in given.items() if v is not None})
        refuse_fields(body, {"active", "schedule"}, "deployment schedule")
        spec = ScheduleSpec(**body.schedule.schedule_spec()) if body.schedule is not None else None
        self._ops().update_deployment_schedule(str(deployment_id), str(schedule_id),
                                               ScheduleUpdate(active=body.active, schedule=spec))

    def read_deployment(self, deployment_id: UUID | str) -> o.Deployment:
        """The deployment with this id. Raises `ObjectNotFound`."""
        return self._deployments([self._ops().read_deployment(str(deployment_id))])[0]

    def read_deployment_by_name(self, name: str) -> o.Deployment:
        """The deployment `flow-name/deployment-name`. Raises `ObjectNotFound`."""
        if "/" not in name:
            raise ValueError(f"expected a deployment name as 'flow-name/deployment-name', got {name!r}")
        return self._deployments([self._ops().read_deployment(name)])[0]

    def read_deployments(self, *, flow_filter: f.FlowFilter | None = None,
                         deployment_filter: f.DeploymentFilter | None = None, limit: int | None = None,
                         offset: int = 0, sort: Any = None, **unsupported: Any) -> list[o.Deployment]:
        """Deployments matching the filters, by flow name and name.

        Raises:
            ValueError: a criterion headwater cannot evaluate (`operator=or_`, flow tags), named.
        """
        refuse_unsupported(unsupported)
        infos = self._ops().list_deployments()
        flow_ids = self._flow_ids({info.flow_name for info in infos})
        found = [c.to_deployment(info, flow_ids[info.flow_name]) for info in infos
                 if c.deployment_matches(info, flow_ids[info.flow_name], flow_filter, deployment_filter)]
        key = getattr(sort, "value", sort)
        if key == "NAME_DESC":
            found.sort(key=lambda d: d.name, reverse=True)
        elif key == "NAME_ASC":
            found.sort(key=lambda d: d.name)
        elif key in ("CREATED_DESC", "UPDATED_DESC"):
            found.sort(key=lambda d: (d.created if key == "CREATED_DESC" else d.updated) or 0, reverse=True)
        return found[offset:None if limit is None else offset + limit]

    def _update_deployment(self, deployment_id: UUID | str, **changes: Any) -> None:
        from headwater.core.deployment_schemas import DeploymentUpdate

        self._ops().update_deployment(str(deployment_id), DeploymentUpdate(**changes))

    def update_deployment(self, deployment_id: UUID | str, deployment: a.DeploymentUpdate) -> None:
        """Change the fields given in `deployment` (a `DeploymentUpdate`); the others stay.

        Raises:
            ObjectNotFound: no such deployment.
            ValueError: a field headwater cannot change on a deployment was given, named.
        """
        self._update_deployment(deployment_id, **deployment.headwater_changes())

    def pause_deployment(self, deployment_id: UUID | str) -> None:
        """Pause a deployment: its schedules stop creating runs."""
        self._update_deployment(deployment_id, paused=True)

    def resume_deployment(self, deployment_id: UUID | str) -> None:
        """Resume a paused deployment."""
        self._update_deployment(deployment_id, paused=False)

    def delete_deployment(self, deployment_id: UUID | str) -> None:
        """Delete a deployment with its schedules and runs not started."""
        self._ops().delete_deployment(str(deployment_id))

    def read_deployment_schedules(self, deployment_id: UUID | str) -> list[o.DeploymentSchedule]:
        """The schedules of a deployment."""
        return self.read_deployment(deployment_id).schedules
