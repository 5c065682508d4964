"""Projects: `POST /api/projects/`, `GET /api/projects/`, `GET /api/projects/{name}`."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from headwater.core.deployment_schemas import ProjectCreate, ProjectInfo
from headwater.server.api._deps import StoreDep
from headwater.store.workers import ObjectAlreadyExists

__all__ = ["router"]

router = APIRouter(prefix="/projects", tags=["projects"])


@router.post("/", status_code=201, summary="Create a project")
def create_project(body: ProjectCreate, store: StoreDep) -> ProjectInfo:
    """Create a project; 409 if the name is taken."""
    try:
        return store.create_project(body.name, body.description)
    except ObjectAlreadyExists as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from None


@router.get("/", summary="List projects")
def list_projects(store: StoreDep) -> list[ProjectInfo]:
    """Every project by name, with how many deployments it has."""
    return store.list_projects()


@router.get("/{name}", summary="Read a project")
def read_project(name: str, store: StoreDep) -> ProjectInfo:
    """The project with this name; 404 if there is none."""
    return store.read_project(name)
