"""The client's methods, one module per area, composed into `SyncPrefectClient`.

Each module holds one class of one area's methods (`FlowMethods`, `FlowRunMethods`,
`TaskRunMethods`, `DeploymentMethods`, `WorkPoolMethods`, `LimitMethods`,
`ProjectMethods`, `VariableMethods`, `ArtifactMethods`, `BlockMethods`, `AssetMethods`), built on `ClientBase` (base.py): each method takes Prefect's
arguments, calls one operation on `self._ops()` (the transport), and converts with
`headwater.client.convert`. A class reaches only its own methods and `ClientBase`'s,
never another area's, so each can be read (and type-checked) alone.

A new area is one more module and one more base of `SyncPrefectClient`
(client/sync_client.py); the async `PrefectClient` wraps its public methods by itself.
See docs/architecture.md, "How to add a resource".
"""

from __future__ import annotations

from headwater.client.methods.artifacts import ArtifactMethods
from headwater.client.methods.assets import AssetMethods
from headwater.client.methods.automations import AutomationMethods
from headwater.client.methods.base import ClientBase
from headwater.client.methods.blocks import BlockMethods
from headwater.client.methods.deployments import DeploymentMethods
from headwater.client.methods.events import EventMethods
from headwater.client.methods.flow_run_input import FlowRunInputMethods
from headwater.client.methods.flow_runs import FlowRunMethods
from headwater.client.methods.flows import FlowMethods
from headwater.client.methods.limits import LimitMethods
from headwater.client.methods.projects import ProjectMethods
from headwater.client.methods.task_runs import TaskRunMethods
from headwater.client.methods.variables import VariableMethods
from headwater.client.methods.work_pools import WorkPoolMethods

__all__ = [
    "ArtifactMethods",
    "AssetMethods",
    "AutomationMethods",
    "BlockMethods",
    "ClientBase",
    "DeploymentMethods",
    "EventMethods",
    "FlowMethods",
    "FlowRunInputMethods",
    "FlowRunMethods",
    "LimitMethods",
    "ProjectMethods",
    "TaskRunMethods",
    "VariableMethods",
    "WorkPoolMethods",
]
