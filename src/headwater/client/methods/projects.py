"""Projects: headwater's grouping of deployments (no Prefect counterpart)."""

from __future__ import annotations

from typing import Any

from headwater.client.methods.base import ClientBase


__all__ = ["ProjectMethods"]


class ProjectMethods(ClientBase):
    """The client's project methods (`create_project`, `read_projects`)."""

    def create_project(self, name: str, description: str | None = None) -> Any:
        """Create a project. Raises `ObjectAlreadyExists`."""
        from headwater.core.deployment_schemas import ProjectCreate

        return self._ops().create_project(ProjectCreate(name=name, description=description))

    def read_projects(self) -> list[Any]:
        """Every project by name."""
        return self._ops().list_projects()
