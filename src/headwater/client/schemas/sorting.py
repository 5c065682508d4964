"""Sort orders of the client's read methods, as `prefect.client.schemas.sorting`."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from headwater.core.api_schemas import FlowRunSort, LogSort, TaskRunSort

if TYPE_CHECKING:
    from headwater.core.automation_schemas import AutomationSort

__all__ = ["DeploymentSort", "FlowRunSort", "FlowSort", "LogSort", "TaskRunSort"]


class FlowSort(str, enum.Enum):
    """Orders of `read_flows`."""

    CREATED_DESC = "CREATED_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"


class DeploymentSort(str, enum.Enum):
    """Orders of `read_deployments`."""

    CREATED_DESC = "CREATED_DESC"
    UPDATED_DESC = "UPDATED_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"


class VariableSort(str, enum.Enum):
    """Orders of variables (`POST /variables/filter`)."""

    CREATED_DESC = "CREATED_DESC"
    UPDATED_DESC = "UPDATED_DESC"
    NAME_DESC = "NAME_DESC"
    NAME_ASC = "NAME_ASC"


__all__ += ["VariableSort"]


class ArtifactSort(str, enum.Enum):
    """Orders of artifacts (`POST /artifacts/filter`)."""

    CREATED_DESC = "CREATED_DESC"
    UPDATED_DESC = "UPDATED_DESC"
    ID_DESC = "ID_DESC"
    KEY_DESC = "KEY_DESC"
    KEY_ASC = "KEY_ASC"


class ArtifactCollectionSort(str, enum.Enum):
    """Orders of the keys' latest versions (`POST /artifacts/latest/filter`)."""

    CREATED_DESC = "CREATED_DESC"
    UPDATED_DESC = "UPDATED_DESC"
    ID_DESC = "ID_DESC"
    KEY_DESC = "KEY_DESC"
    KEY_ASC = "KEY_ASC"


__all__ += ["ArtifactCollectionSort", "ArtifactSort"]


class BlockDocumentSort(str, enum.Enum):
    """Orders of block documents (`POST /block_documents/filter`)."""

    NAME_DESC = "NAME_DESC"
    NAME_ASC = "NAME_ASC"
    BLOCK_TYPE_AND_NAME_ASC = "BLOCK_TYPE_AND_NAME_ASC"


__all__ += ["BlockDocumentSort"]


def __getattr__(name: str) -> object:
    # AutomationSort lives with the automation schemas (triggers and actions), imported
    # only when asked for, so reading the other orders stays light.
    if name == "AutomationSort":
        from headwater.core.automation_schemas import AutomationSort

        return AutomationSort
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "AutomationSort"])


__all__ += ["AutomationSort"]
