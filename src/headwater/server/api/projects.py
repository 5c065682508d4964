"""Projects: `POST /api/projects/`, `GET /api/projects/`, `GET /api/projects/{name}`."""

from __future__ import annotations

from fastapi import APIRouter

from headwater.core.deployment_schemas import ProjectCreate, ProjectInfo
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/projects", tags=["projects"])


@router.post("/", status_code=201, summary="Create a project")
def create_project(body: ProjectCreate, ops: OpsDep) -> ProjectInfo:
    """Create a project; 409 if the name is taken."""
    return ops.create_project(body)


@router.get("/", summary="List projects")
def list_projects(ops: OpsDep) -> list[ProjectInfo]:
    """Every project by name, with how many deployments it has."""
    return ops.list_projects()


@router.get("/{name}", summary="Read a project")
def read_project(name: str, ops: OpsDep) -> ProjectInfo:
    """The project with this name; 404 if there is none."""
    return ops.read_project(name)
