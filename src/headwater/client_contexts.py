"""Client contexts, as in `prefect.context`: one client shared for a block.

    with SyncClientContext.get_or_create() as ctx:
        ctx.client.read_flow_runs()

Re-exported by `headwater.context`.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import AsyncIterator, Iterator
from typing import Any

__all__ = ["AsyncClientContext", "SyncClientContext"]

# The contexts entered in this thread or task, by class.
_client_contexts: contextvars.ContextVar[dict[type, Any]] = contextvars.ContextVar(
    "headwater_client_contexts", default={})  # noqa: B039 - never mutated, only replaced


class SyncClientContext:
    """Holds one (sync) client for a block: `with SyncClientContext.get_or_create() as ctx: ctx.client`.

    Nested `get_or_create()` calls share the outer client.
    """

    __slots__ = ("client", "_depth", "_token")

    def __init__(self, httpx_settings: dict[str, Any] | None = None) -> None:
        from headwater.client.orchestration import get_client

        self.client = get_client(sync_client=True, httpx_settings=httpx_settings)
        self._depth = 0

    @classmethod
    def get(cls) -> Any:
        """The context entered in this thread or task, or None."""
        return _client_contexts.get().get(cls)

    def __enter__(self) -> Any:
        self._depth += 1
        if self._depth == 1:
            self.client.__enter__()
            self._token = _client_contexts.set({**_client_contexts.get(), type(self): self})
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._depth -= 1
        if self._depth == 0:
            _client_contexts.reset(self._token)
            self.client.__exit__(*exc_info)

    @classmethod
    @contextlib.contextmanager
    def get_or_create(cls) -> Iterator[Any]:
        """The context in force, or a new one for the block."""
        found = cls.get()
        if found is not None:
            yield found
        else:
            with cls() as created:
                yield created


class AsyncClientContext:
    """Holds one async client for a block: `async with AsyncClientContext.get_or_create() as ctx`."""

    __slots__ = ("client", "_depth", "_token")

    def __init__(self, httpx_settings: dict[str, Any] | None = None) -> None:
        from headwater.client.orchestration import get_client

        self.client = get_client(httpx_settings=httpx_settings)
        self._depth = 0

    @classmethod
    def get(cls) -> Any:
        """The context entered in this thread or task, or None."""
        return _client_contexts.get().get(cls)

    async def __aenter__(self) -> Any:
        self._depth += 1
        if self._depth == 1:
            await self.client.__aenter__()
            self._token = _client_contexts.set({**_client_contexts.get(), type(self): self})
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self._depth -= 1
        if self._depth == 0:
            _client_contexts.reset(self._token)
            await self.client.__aexit__(*exc_info)

    @classmethod
    @contextlib.asynccontextmanager
    async def get_or_create(cls) -> AsyncIterator[Any]:
        """The context in force, or a new one for the block."""
        found = cls.get()
        if found is not None:
            yield found
        else:
            async with cls() as created:
                yield created


