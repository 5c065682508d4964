"""`SyncPrefectClient`: the control plane in Prefect's client shape, synchronous.

Every method is one operation of the transport (`headwater.client.transport`), with
Prefect's argument names, returning the models of `headwater.client.schemas`. The
methods live by area in `headwater.client.methods` (flows, flow runs, task runs and
logs, deployments, work pools, limits, projects, variables); this class composes them over
`ClientBase`. Before each call, history this process has emitted and not yet stored
is flushed, so a run that just finished is visible, as it is on Prefect.
"""

from __future__ import annotations

from headwater.client.methods import (
    ArtifactMethods,
    AssetMethods,
    AutomationMethods,
    BlockMethods,
    DeploymentMethods,
    EventMethods,
    FlowMethods,
    FlowRunMethods,
    LimitMethods,
    ProjectMethods,
    TaskRunMethods,
    VariableMethods,
    FlowRunInputMethods,
    WorkPoolMethods,
)

__all__ = ["SyncPrefectClient"]


class SyncPrefectClient(FlowMethods, FlowRunMethods, TaskRunMethods, DeploymentMethods, WorkPoolMethods,
                        LimitMethods, ProjectMethods, VariableMethods, ArtifactMethods, BlockMethods,
                        EventMethods, AssetMethods, AutomationMethods, FlowRunInputMethods):
    """The control plane, synchronously (`get_client(sync_client=True)`).

    Use it as a context manager, or call `close()`.

    Args:
        settings: where the control plane is (default: the process's settings).
        transport: a transport to use instead of opening one; the client does not close it.
    """

    def __enter__(self) -> SyncPrefectClient:
        return self
