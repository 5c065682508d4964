"""Work pools and their workers: create (or overwrite), read, list, update."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.client import convert as c
from headwater.client.methods.base import ClientBase
from headwater.client.schemas import objects as o
from headwater.exceptions import ObjectAlreadyExists

if TYPE_CHECKING:
    from headwater.client.schemas import actions as a
    from headwater.client.schemas import filters as f

__all__ = ["WorkPoolMethods"]


class WorkPoolMethods(ClientBase):
    """The client's work pool and worker methods (`create_work_pool`, `read_work_pools`, ...)."""

    def create_work_pool(self, work_pool: a.WorkPoolCreate, overwrite: bool = False) -> o.WorkPool:
        """Create a work pool (`overwrite`: update the one with this name). Raises `ObjectAlreadyExists`."""
        from headwater.core.deployment_schemas import WorkPoolCreate, WorkPoolStorage, WorkPoolUpdate

        ops = self._ops()
        storage = WorkPoolStorage.model_validate(work_pool.storage_configuration.model_dump())
        try:
            return c.to_work_pool(ops.create_work_pool(WorkPoolCreate(
                name=work_pool.name, description=work_pool.description, paused=work_pool.is_paused,
                concurrency_limit=work_pool.concurrency_limit, type=work_pool.type or "process",
                base_job_template=work_pool.base_job_template or {}, storage_configuration=storage)))
        except ObjectAlreadyExists:
            if not overwrite:
                raise
        # As Prefect's overwrite: the given fields replace the pool's (its type stays).
        changes: dict[str, Any] = {"base_job_template": work_pool.base_job_template} \
            if work_pool.base_job_template else {}
        return c.to_work_pool(ops.update_work_pool(work_pool.name, WorkPoolUpdate(
            description=work_pool.description, paused=work_pool.is_paused, storage_configuration=storage,
            concurrency_limit=work_pool.concurrency_limit, clear_concurrency_limit=work_pool.concurrency_limit is None,
            **changes)))

    def read_work_pool(self, work_pool_name: str) -> o.WorkPool:
        """The work pool called `work_pool_name`. Raises `ObjectNotFound`."""
        return c.to_work_pool(self._ops().read_work_pool(work_pool_name))

    def read_work_pools(self, limit: int | None = None, offset: int = 0,
                        work_pool_filter: f.WorkPoolFilter | None = None) -> list[o.WorkPool]:
        """Work pools by name."""
        pools = [c.to_work_pool(p) for p in self._ops().list_work_pools()]
        if work_pool_filter is not None:
            pools = [p for p in pools if c.pool_matches(p, work_pool_filter)]
        return pools[offset:None if limit is None else offset + limit]

    def update_work_pool(self, work_pool_name: str, work_pool: a.WorkPoolUpdate) -> None:
        """Change a work pool's description, limit, paused flag, base job template or storage configuration."""
        from headwater.core.deployment_schemas import WorkPoolUpdate

        changes = work_pool.model_dump(exclude_unset=True)
        if "is_paused" in changes:
            changes["paused"] = changes.pop("is_paused")
        if "concurrency_limit" in changes and changes["concurrency_limit"] is None:
            changes.pop("concurrency_limit")
            changes["clear_concurrency_limit"] = True
        if changes.get("storage_configuration") is None:
            changes.pop("storage_configuration", None)  # None: the pool's stays, as in Prefect
        self._ops().update_work_pool(work_pool_name, WorkPoolUpdate(**changes))

    def read_workers_for_work_pool(self, work_pool_name: str, worker_filter: Any = None, offset: int | None = None,
                                   limit: int | None = None) -> list[o.Worker]:
        """The workers of a pool. Raises `ObjectNotFound`."""
        ops = self._ops()
        ops.read_work_pool(work_pool_name)
        workers = [c.to_worker(w) for w in ops.list_workers(work_pool_name)]
        if worker_filter is not None:
            workers = [w for w in workers if c.worker_matches(w, worker_filter)]
        start = offset or 0
        return workers[start:None if limit is None else start + limit]
