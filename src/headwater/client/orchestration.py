"""`get_client()` and the client classes, at Prefect's path `prefect.client.orchestration`.

    async with get_client() as client:
        runs = await client.read_flow_runs(flow_run_filter=...)

    with get_client(sync_client=True) as client:
        client.read_flow_runs(...)

The client talks to the server named by `HEADWATER_API_URL`, or, when it is unset,
to the embedded database in this process (no server needed). `PrefectClient` is the
async client: each method runs the synchronous one in a worker thread, so the event
loop never blocks on the database or the network.
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING, Any, Literal, overload

from headwater.client.sync_client import SyncPrefectClient

if TYPE_CHECKING:
    from headwater.core.settings import Settings

__all__ = ["PrefectClient", "SyncPrefectClient", "get_client"]

# Names Prefect's module re-exports (models, settings, loggers); loaded on first access
# so `get_client` stays light.
_REEXPORTS = {
    **dict.fromkeys(("DeploymentFilter", "FlowFilter", "FlowRunFilter", "TaskRunFilter", "WorkQueueFilter",
                     "WorkQueueFilterName"), "headwater.client.schemas.filters"),
    **dict.fromkeys(("Constant", "FlowRun", "FlowRunResult", "Parameter", "TaskRun", "TaskRunPolicy", "TaskRunResult"),
                    "headwater.client.schemas.objects"),
    "OrchestrationResult": "headwater.client.schemas.responses",
    **dict.fromkeys(("TaskRunCreate", "TaskRunUpdate"), "headwater.client.schemas.actions"),
    "TaskRunSort": "headwater.client.schemas.sorting",
    **dict.fromkeys(("PREFECT_API_KEY", "PREFECT_API_REQUEST_TIMEOUT", "PREFECT_API_URL",
                     "PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_SSL_CERT_FILE",
                     "PREFECT_API_TLS_INSECURE_SKIP_VERIFY"), "headwater.settings"),
    **dict.fromkeys(("get_logger", "get_run_logger"), "headwater.logging"),
}


def __getattr__(name: str) -> Any:
    module = _REEXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


class PrefectClient:
    """The control plane, asynchronously (`get_client()`): every method of
    `SyncPrefectClient` as a coroutine. Use `async with`, or `await close()`."""

    def __init__(self, settings: Settings | None = None) -> None:
        self._sync = SyncPrefectClient(settings)

    @property
    def api_url(self) -> str | None:
        """The server's API URL, or None in-process."""
        return self._sync.api_url

    async def __aenter__(self) -> PrefectClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Release the connection (or the database)."""
        await asyncio.to_thread(self._sync.close)

    def __enter__(self) -> Any:
        raise RuntimeError("the async client is used with `async with get_client() as client:`; for `with`, "
                           "use get_client(sync_client=True)")

    def __exit__(self, *exc: object) -> None:  # pragma: no cover - __enter__ raises
        pass


def _async_method(name: str) -> Any:
    method = getattr(SyncPrefectClient, name)

    @functools.wraps(method)
    async def call(self: PrefectClient, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(method, self._sync, *args, **kwargs)

    return call


for _name in dir(SyncPrefectClient):
    if not _name.startswith("_") and _name not in ("close", "api_url", "transport") \
            and callable(getattr(SyncPrefectClient, _name)):
        setattr(PrefectClient, _name, _async_method(_name))


@overload
def get_client(httpx_settings: Any = None, sync_client: Literal[False] = False) -> PrefectClient: ...


@overload
def get_client(httpx_settings: Any = None, *, sync_client: Literal[True]) -> SyncPrefectClient: ...


def get_client(httpx_settings: Any = None, sync_client: bool = False) -> PrefectClient | SyncPrefectClient:
    """A client of the control plane: async by default, synchronous with `sync_client=True`.

    Args:
        httpx_settings: accepted for Prefect compatibility; ignored (the request timeout is
            `HEADWATER_API_REQUEST_TIMEOUT_SECONDS`).
        sync_client: return a `SyncPrefectClient` instead of the async `PrefectClient`.
    """
    return SyncPrefectClient() if sync_client else PrefectClient()
