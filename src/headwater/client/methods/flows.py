"""Flows: read one or many, create by name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from headwater.client import convert as c
from headwater.client.methods.base import ClientBase, refuse_unsupported
from headwater.client.schemas import objects as o

if TYPE_CHECKING:
    from headwater.client.schemas import filters as f

__all__ = ["FlowMethods"]


class FlowMethods(ClientBase):
    """The client's flow methods (`read_flow`, `read_flows`, ...)."""

    def read_flow(self, flow_id: UUID | str) -> o.Flow:
        """The flow with this id. Raises `ObjectNotFound`."""
        return c.to_flow(self._ops().read_flow(flow_id=str(flow_id)))

    def read_flow_by_name(self, flow_name: str) -> o.Flow:
        """The flow called `flow_name`. Raises `ObjectNotFound`."""
        return c.to_flow(self._ops().read_flow(name=flow_name))

    def read_flows(self, *, flow_filter: f.FlowFilter | None = None, flow_run_filter: f.FlowRunFilter | None = None,
                   task_run_filter: f.TaskRunFilter | None = None, deployment_filter: f.DeploymentFilter | None = None,
                   sort: Any = None, limit: int | None = None, offset: int = 0, **unsupported: Any) -> list[o.Flow]:
        """Flows matching the filters (flows that have matching runs when run filters are given)."""
        refuse_unsupported(unsupported)
        ops = self._ops()
        if flow_run_filter is None and task_run_filter is None and deployment_filter is None:
            return [c.to_flow(x) for x in ops.filter_flows(c.flow_request(flow_filter, sort, limit, offset))]
        runs = ops.filter_flow_runs(c.flow_run_request(flow_filter, flow_run_filter, task_run_filter,
                                                       self._deployment_ids(deployment_filter), None, None, 0))
        ids = sorted({run.flow_id for run in runs if run.flow_id is not None})
        if not ids:
            return []
        from headwater.client.schemas.filters import FlowFilter, FlowFilterId

        request = c.flow_request(FlowFilter(id=FlowFilterId(any_=[UUID(i) for i in ids])), sort, limit, offset)
        return [c.to_flow(x) for x in ops.filter_flows(request)]

    def create_flow(self, flow: Any) -> UUID:
        """The id of `flow`'s flow (a flow object), created if new."""
        name = getattr(flow, "name", None)
        if not isinstance(name, str):
            raise TypeError(f"create_flow: expected a flow, got {type(flow).__name__}; "
                            "use create_flow_from_name for a name")
        return self.create_flow_from_name(name)

    def create_flow_from_name(self, flow_name: str) -> UUID:
        """The id of the flow called `flow_name`, created if new."""
        from headwater.client.schemas.actions import FlowCreate

        body = FlowCreate(name=flow_name)
        return UUID(self._ops().ensure_flow(body.name).id)
