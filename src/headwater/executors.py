"""Prefect 1's executors (`prefect.executors`): how a static flow's tasks run.

    flow.run()                                        # LocalExecutor: one task at a time
    flow.run(executor=LocalDaskExecutor())            # ready tasks (and mapped runs) at once
    Flow("etl", executor=LocalDaskExecutor(scheduler="threads", num_workers=4))

Tasks always start after their upstream tasks finished. The parallel executors run
ready tasks on a pool of threads in this process (`scheduler="processes"` too: task
runs are recorded by this process, so they stay in it).
"""

from __future__ import annotations

import concurrent.futures
import os
from typing import Any

__all__ = ["DaskExecutor", "Executor", "LocalDaskExecutor", "LocalExecutor"]


class Executor:
    """Base class: runs each ready task inline, one at a time."""

    def pool(self) -> concurrent.futures.Executor | None:
        """The pool ready tasks are handed to (None: run them inline, one at a time)."""
        return None

    def close(self) -> None:
        """Release what the last flow run started (called when a flow run ends)."""

    def __repr__(self) -> str:
        return f"<Executor: {type(self).__name__}>"


class LocalExecutor(Executor):
    """Run tasks one after another in this thread (the default)."""


class LocalDaskExecutor(Executor):
    """Run ready tasks at once on a pool of `num_workers` threads.

    Args:
        scheduler: "threads" (default), "processes" or "synchronous" (one at a time).
        num_workers: pool size (default: the number of CPUs).
    """

    def __init__(self, scheduler: str = "threads", num_workers: int | None = None, **kwargs: Any) -> None:
        if scheduler not in ("threads", "processes", "synchronous", "sync"):
            raise ValueError(f"Unknown scheduler {scheduler!r}")
        self.scheduler = scheduler
        self.num_workers = num_workers or os.cpu_count() or 2
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    def pool(self) -> concurrent.futures.Executor | None:
        if self.scheduler in ("synchronous", "sync"):
            return None
        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(self.num_workers, thread_name_prefix="headwater-p1")
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


class DaskExecutor(Executor):
    """Run ready tasks at once, as many as a Dask cluster has threads (needs `distributed`).

    Without `address`, a `distributed.LocalCluster` (threads in this process) is started
    on first use and kept for the executor's life; task code can reach it with
    `distributed.get_client()`. The tasks themselves run on that many threads of this
    process: their runs are recorded by it, and their functions need not pickle.

    Args:
        address: a scheduler to connect to.
        cluster_class, cluster_kwargs: the cluster to start when no address is given.
        client_kwargs: passed to `distributed.Client`.
    """

    def __init__(self, address: str | None = None, cluster_class: Any = None,
                 cluster_kwargs: dict[str, Any] | None = None, adapt_kwargs: dict[str, Any] | None = None,
                 client_kwargs: dict[str, Any] | None = None, debug: bool = False) -> None:
        self.address = address
        self.cluster_class = cluster_class
        self.cluster_kwargs = dict(cluster_kwargs or {})
        self.client_kwargs = dict(client_kwargs or {})
        self._client: Any = None
        self._cluster: Any = None
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    def pool(self) -> concurrent.futures.Executor | None:
        if self._client is None:
            try:
                import distributed
            except ImportError:
                from headwater.exceptions import ConfigurationError

                raise ConfigurationError(
                    "DaskExecutor needs the `distributed` package: pip install distributed "
                    "(or use LocalDaskExecutor, which needs nothing)"
                ) from None
            if self.address is None:
                cluster_class = self.cluster_class or distributed.LocalCluster
                options = {"processes": False, "dashboard_address": None, **self.cluster_kwargs}
                self._cluster = cluster_class(**options)
                self._client = distributed.Client(self._cluster, **self.client_kwargs)
            else:
                self._client = distributed.Client(self.address, **self.client_kwargs)
            threads = sum(self._client.nthreads().values()) or 1
            self._pool = concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix="headwater-dask")
        return self._pool

    def close(self) -> None:
        """Stop the pool, and the cluster if this executor started it."""
        if self._client is not None:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
            self._client.close()
            if self._cluster is not None:
                self._cluster.close()
            self._client = self._cluster = None
