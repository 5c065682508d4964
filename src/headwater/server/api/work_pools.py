"""Work pools: create, list, read, update (`PATCH`), and a pool's workers."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from headwater.core.deployment_schemas import WorkerInfo, WorkPoolCreate, WorkPoolInfo, WorkPoolUpdate
from headwater.server.api._deps import StoreDep
from headwater.store.workers import ObjectAlreadyExists

__all__ = ["router"]

router = APIRouter(prefix="/work_pools", tags=["work pools"])


@router.post("/", status_code=201, summary="Create a work pool")
def create_work_pool(body: WorkPoolCreate, store: StoreDep) -> WorkPoolInfo:
    """Create a pool; 409 if the name is taken."""
    try:
        return store.create_work_pool(body)
    except ObjectAlreadyExists as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from None


@router.get("/", summary="List work pools")
def list_work_pools(store: StoreDep) -> list[WorkPoolInfo]:
    """Every pool by name, with its status (READY while a worker is online)."""
    return store.list_work_pools()


@router.get("/{name}", summary="Read a work pool")
def read_work_pool(name: str, store: StoreDep) -> WorkPoolInfo:
    """The pool with this name; 404 if there is none."""
    return store.read_work_pool(name)


@router.patch("/{name}", summary="Change a work pool")
def update_work_pool(name: str, body: WorkPoolUpdate, store: StoreDep) -> WorkPoolInfo:
    """Change the description, concurrency limit or paused flag of a pool."""
    return store.update_work_pool(name, body)


@router.get("/{name}/workers", summary="The workers of a pool")
def pool_workers(name: str, store: StoreDep) -> list[WorkerInfo]:
    """The pool's workers with their status and running flow runs; 404 if no such pool."""
    store.read_work_pool(name)
    return store.list_workers(work_pool_name=name)
