"""Work pools: create, list, read, update (`PATCH`), and a pool's workers."""

from __future__ import annotations

from fastapi import APIRouter

from headwater.core.deployment_schemas import WorkerInfo, WorkPoolCreate, WorkPoolInfo, WorkPoolUpdate
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/work_pools", tags=["work pools"])


@router.post("/", status_code=201, summary="Create a work pool")
def create_work_pool(body: WorkPoolCreate, ops: OpsDep) -> WorkPoolInfo:
    """Create a pool; 409 if the name is taken."""
    return ops.create_work_pool(body)


@router.get("/", summary="List work pools")
def list_work_pools(ops: OpsDep) -> list[WorkPoolInfo]:
    """Every pool by name, with its status (READY while a worker is online)."""
    return ops.list_work_pools()


@router.get("/{name}", summary="Read a work pool")
def read_work_pool(name: str, ops: OpsDep) -> WorkPoolInfo:
    """The pool with this name; 404 if there is none."""
    return ops.read_work_pool(name)


@router.patch("/{name}", summary="Change a work pool")
def update_work_pool(name: str, body: WorkPoolUpdate, ops: OpsDep) -> WorkPoolInfo:
    """Change the description, concurrency limit or paused flag of a pool."""
    return ops.update_work_pool(name, body)


@router.get("/{name}/workers", summary="The workers of a pool")
def pool_workers(name: str, ops: OpsDep) -> list[WorkerInfo]:
    """The pool's workers with their status and running flow runs; 404 if no such pool."""
    ops.read_work_pool(name)
    return ops.list_workers(work_pool_name=name)
