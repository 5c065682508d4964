"""`FlowView`: a registered flow, as Prefect 1's `prefect.backend.FlowView`.

A Prefect 1 flow registered in a project is, here, the deployment that
`flow.register(project_name=...)` made; its id is the view's `flow_id` (and
`flow_group_id`: a deployment keeps one id across registrations).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.core.deployment_schemas import DeploymentInfo

__all__ = ["FlowView"]


class FlowView:
    """A registered flow: its id, name, project and labels.

    Args:
        deployment: the deployment the flow was registered as.
    """

    def __init__(self, deployment: DeploymentInfo) -> None:
        self.deployment = deployment
        self.flow_id = deployment.id
        self.flow_group_id = deployment.id
        self.name = deployment.flow_name
        self.project_name = deployment.project
        self.flow_group_labels = list(deployment.tags)
        self.archived = False
        self.parameters = dict(deployment.parameters)

    @classmethod
    def from_id(cls, flow_id: str) -> FlowView:
        """The registered flow with this id (a deployment id, or `flow/deployment`).

        Raises:
            ObjectNotFound: no such registered flow.
        """
        from headwater.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            return cls(client.transport.read_deployment(str(flow_id)))

    from_flow_id = from_id
    from_flow_group_id = from_id

    @classmethod
    def from_flow_name(cls, flow_name: str, project_name: str = "", last_updated: bool = False) -> FlowView:
        """The flow registered under this name, in `project_name` (any project when empty).

        Raises:
            ObjectNotFound: no such project, or no such flow in it (the error lists what is there).
            HeadwaterError: the name is registered in several projects and none was given.
        """
        from headwater.client.registered_flows import find_registered_flow
        from headwater.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            return cls(find_registered_flow(client.transport, name=flow_name, project=project_name or None, ref=None))

    @property
    def flow(self) -> Any:
        """Prefect 1 deserialized the flow; a deployment names its source instead: load it from there."""
        from headwater.exceptions import HeadwaterError

        raise HeadwaterError(f"FlowView.flow: flow {self.name!r} is registered by its source "
                             f"({self.deployment.entrypoint}), not stored serialized; import it from there")

    def __repr__(self) -> str:
        return f"FlowView(flow_id={self.flow_id!r}, name={self.name!r}, project_name={self.project_name!r})"
