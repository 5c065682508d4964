"""Flow run input as plain values: create, read, filter and delete, as `prefect.input.actions`.

Values are stored as JSON text under `(flow_run_id, key)`; `flow_run_id` defaults to the
current flow run. Each function has an `a`-prefixed async twin; the plain name returns
a coroutine in async code, as Prefect's do. The `sync_*` functions never do: they are
what the twins run in a worker thread, and what headwater's own code calls.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from uuid import UUID

from headwater.core.async_dispatch import dispatch

__all__ = [
    "acreate_flow_run_input", "acreate_flow_run_input_from_model", "adelete_flow_run_input",
    "afilter_flow_run_input", "aread_flow_run_input", "create_flow_run_input",
    "create_flow_run_input_from_model", "delete_flow_run_input", "ensure_flow_run_id",
    "filter_flow_run_input", "read_flow_run_input",
]


def ensure_flow_run_id(flow_run_id: UUID | str | None = None) -> UUID:
    """`flow_run_id`, or the current flow run's id.

    Raises:
        RuntimeError: neither given nor inside a flow run.
    """
    if flow_run_id:
        return flow_run_id if isinstance(flow_run_id, UUID) else UUID(str(flow_run_id))
    from headwater.engine.context import flow_run_var

    run = flow_run_var.get()
    if run is None:
        raise RuntimeError("Must either provide a flow run ID or be within a flow run.")
    return UUID(run.id)


def _client() -> Any:
    from headwater.client.orchestration import get_client

    return get_client(sync_client=True)


def _sender_default() -> str | None:
    from headwater.engine.context import flow_run_var

    run = flow_run_var.get()
    return f"prefect.flow-run.{run.id}" if run is not None else None


def sync_create(key: str, value: Any, flow_run_id: UUID | str | None, sender: str | None) -> None:
    target = ensure_flow_run_id(flow_run_id)
    with _client() as client:
        client.create_flow_run_input(target, key=key, value=json.dumps(value), sender=sender)


def create_flow_run_input(key: str, value: Any, flow_run_id: UUID | str | None = None,
                          sender: str | None = None) -> Any:
    """Store `value` (anything JSON can hold) as the run's input `key`.

    Raises:
        ObjectAlreadyExists: the run has an input with this key.
        ValueError: the key holds something other than letters, digits and dashes.
    """
    return dispatch(lambda: sync_create(key, value, flow_run_id, sender),
                    lambda: acreate_flow_run_input(key, value, flow_run_id, sender), None)


async def acreate_flow_run_input(key: str, value: Any, flow_run_id: UUID | str | None = None,
                                 sender: str | None = None) -> None:
    """`create_flow_run_input` for async code."""
    await asyncio.to_thread(sync_create, key, value, flow_run_id, sender)


def sync_create_from_model(key: str, model_instance: Any, flow_run_id: UUID | str | None, sender: str | None) -> None:
    if sender is None:
        sender = _sender_default()
    sync_create(key, json.loads(model_instance.model_dump_json()), flow_run_id, sender)


def create_flow_run_input_from_model(key: str, model_instance: Any, flow_run_id: UUID | str | None = None,
                                     sender: str | None = None) -> Any:
    """Store a pydantic model instance as the run's input `key`; the sender defaults to
    the current flow run (`prefect.flow-run.<id>`, Prefect's form)."""
    return dispatch(lambda: sync_create_from_model(key, model_instance, flow_run_id, sender),
                    lambda: acreate_flow_run_input_from_model(key, model_instance, flow_run_id, sender), None)


async def acreate_flow_run_input_from_model(key: str, model_instance: Any, flow_run_id: UUID | str | None = None,
                                            sender: str | None = None) -> None:
    """`create_flow_run_input_from_model` for async code."""
    await asyncio.to_thread(sync_create_from_model, key, model_instance, flow_run_id, sender)


def sync_filter(key_prefix: str, limit: int, exclude_keys: set[str] | None,
                 flow_run_id: UUID | str | None) -> list[Any]:
    target = ensure_flow_run_id(flow_run_id)
    with _client() as client:
        return list(client.filter_flow_run_input(target, key_prefix=key_prefix, limit=limit,
                                                 exclude_keys=exclude_keys or set()))


def filter_flow_run_input(key_prefix: str, limit: int = 1, exclude_keys: set[str] | None = None,
                          flow_run_id: UUID | str | None = None) -> Any:
    """The run's oldest inputs (`FlowRunInput`) whose key starts with `key_prefix`."""
    return dispatch(lambda: sync_filter(key_prefix, limit, exclude_keys, flow_run_id),
                    lambda: afilter_flow_run_input(key_prefix, limit, exclude_keys, flow_run_id), None)


async def afilter_flow_run_input(key_prefix: str, limit: int = 1, exclude_keys: set[str] | None = None,
                                 flow_run_id: UUID | str | None = None) -> list[Any]:
    """`filter_flow_run_input` for async code."""
    return await asyncio.to_thread(sync_filter, key_prefix, limit, exclude_keys, flow_run_id)


def sync_read(key: str, flow_run_id: UUID | str | None) -> Any:
    from headwater.exceptions import ObjectNotFound

    target = ensure_flow_run_id(flow_run_id)
    with _client() as client:
        try:
            return json.loads(client.read_flow_run_input(target, key))
        except ObjectNotFound:
            return None


def read_flow_run_input(key: str, flow_run_id: UUID | str | None = None) -> Any:
    """The run's input `key`, decoded; None if there is none."""
    return dispatch(lambda: sync_read(key, flow_run_id), lambda: aread_flow_run_input(key, flow_run_id), None)


async def aread_flow_run_input(key: str, flow_run_id: UUID | str | None = None) -> Any:
    """`read_flow_run_input` for async code."""
    return await asyncio.to_thread(sync_read, key, flow_run_id)


def sync_delete(key: str, flow_run_id: UUID | str | None) -> None:
    target = ensure_flow_run_id(flow_run_id)
    with _client() as client:
        client.delete_flow_run_input(target, key)


def delete_flow_run_input(key: str, flow_run_id: UUID | str | None = None) -> Any:
    """Delete the run's input `key`. Raises `ObjectNotFound`."""
    return dispatch(lambda: sync_delete(key, flow_run_id), lambda: adelete_flow_run_input(key, flow_run_id), None)


async def adelete_flow_run_input(key: str, flow_run_id: UUID | str | None = None) -> None:
    """`delete_flow_run_input` for async code."""
    await asyncio.to_thread(sync_delete, key, flow_run_id)
