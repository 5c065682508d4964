"""Typed input for flow runs, as `prefect.input.run_input`.

    class Approval(RunInput):
        approved: bool
        note: str = ""

    answer = pause_flow_run(wait_for_input=Approval)       # in the flow
    resume_flow_run(flow_run_id, run_input={"approved": True})   # elsewhere

    send_input(5, flow_run_id=other_run)                    # values between flows
    for number in receive_input(int, timeout=60):           # in the receiving flow
        ...

A `RunInput` is a pydantic model (unknown fields refused). A plain type (`int`, `str`,
`list[str]`, a pydantic model that is not a RunInput) is wrapped in a model with one
field, `value`, as Prefect wraps it (`AutomaticRunInput`). A paused run stores its
model's JSON schema under the keyset's `schema` key, which is what the UI builds the
Resume form from and what the resume is checked against.
"""

from __future__ import annotations

import time
from inspect import isclass
from typing import Any, ClassVar, Dict, Generic, Literal, Optional, TypeVar, Union
from uuid import UUID, uuid4

import pydantic
from pydantic import ConfigDict

from headwater.core.async_dispatch import dispatch
from headwater.input.actions import (
    ensure_flow_run_id,
    sync_create,
    sync_create_from_model,
    sync_filter,
    sync_read,
)

__all__ = [
    "AutomaticRunInput", "BaseRunInput", "GetAutomaticInputHandler", "GetInputHandler", "Keyset", "RunInput",
    "RunInputMetadata", "asend_input", "keyset_from_base_key", "keyset_from_paused_state", "receive_input",
    "run_input_subclass_from_type", "send_input",
]

R = TypeVar("R", bound="RunInput")
T = TypeVar("T")

Keyset = Dict[Union[Literal["description"], Literal["response"], Literal["schema"]], str]
"""The three keys a pause's input lives under: its description, schema and response."""


def keyset_from_base_key(base_key: str) -> Keyset:
    """The keyset `<base_key>-description`, `-response`, `-schema`."""
    return {"description": f"{base_key}-description", "response": f"{base_key}-response",
            "schema": f"{base_key}-schema"}


def keyset_from_paused_state(state: Any) -> Keyset:
    """The keyset of a Paused (or Suspended) state: `<name>-<pause key>-...`.

    Raises:
        RuntimeError: the state is not paused.
    """
    if not state.is_paused():
        raise RuntimeError(f"{state.type.value!r} is unsupported.")
    details = getattr(state, "state_details", None)
    pause_key = getattr(details, "pause_key", None) if details is not None else None
    if pause_key is None:
        pause_key = (state.details or {}).get("pause_key")
    return keyset_from_base_key(f"{(state.name or '').lower()}-{pause_key}")


class RunInputMetadata(pydantic.BaseModel):
    """Where an input came from: its key, its sender (`prefect.flow-run.<id>` for a flow run), its receiver."""

    key: str
    sender: Optional[str] = None
    receiver: UUID


class BaseRunInput(pydantic.BaseModel):
    """What `RunInput` and `AutomaticRunInput` share: saving the schema, loading the response, sending."""

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    _description: Optional[str] = pydantic.PrivateAttr(default=None)
    _metadata: RunInputMetadata = pydantic.PrivateAttr()

    @property
    def metadata(self) -> RunInputMetadata:
        """Where this input came from."""
        return self._metadata

    @classmethod
    def keyset_from_type(cls) -> Keyset:
        """The keyset named after this class."""
        return keyset_from_base_key(cls.__name__.lower())

    @classmethod
    def save_now(cls, keyset: Keyset, flow_run_id: UUID | None = None) -> None:
        """`save`, never as a coroutine (what headwater's own code calls)."""
        sync_create(keyset["schema"], cls.model_json_schema(by_alias=True), flow_run_id, None)
        description = cls._description if isinstance(cls._description, str) else None
        if description:
            sync_create(keyset["description"], description, flow_run_id, None)

    @classmethod
    def save(cls, keyset: Keyset, flow_run_id: UUID | None = None) -> Any:
        """Store this model's JSON schema (and description) under `keyset`."""
        return dispatch(lambda: cls.save_now(keyset, flow_run_id), lambda: cls.asave(keyset, flow_run_id), None)

    @classmethod
    async def asave(cls, keyset: Keyset, flow_run_id: UUID | None = None) -> None:
        """`save` for async code."""
        import asyncio

        await asyncio.to_thread(cls.save_now, keyset, flow_run_id)

    @classmethod
    def load_now(cls, keyset: Keyset, flow_run_id: UUID | None = None) -> Any:
        """`load`, never as a coroutine (what headwater's own code calls)."""
        target = ensure_flow_run_id(flow_run_id)
        value = sync_read(keyset["response"], target)
        instance = cls(**value) if value else cls()
        instance._metadata = RunInputMetadata(key=keyset["response"], sender=None, receiver=target)
        return instance

    @classmethod
    def load(cls, keyset: Keyset, flow_run_id: UUID | None = None) -> Any:
        """The response stored under `keyset`, as an instance of this model."""
        return dispatch(lambda: cls.load_now(keyset, flow_run_id), lambda: cls.aload(keyset, flow_run_id), None)

    @classmethod
    async def aload(cls, keyset: Keyset, flow_run_id: UUID | None = None) -> Any:
        """`load` for async code."""
        import asyncio

        return await asyncio.to_thread(cls.load_now, keyset, flow_run_id)

    @classmethod
    def load_from_flow_run_input(cls, flow_run_input: Any) -> Any:
        """An instance from a stored `FlowRunInput`, with its metadata."""
        instance = cls(**flow_run_input.decoded_value)
        instance._metadata = RunInputMetadata(key=flow_run_input.key, sender=flow_run_input.sender,
                                              receiver=flow_run_input.flow_run_id)
        return instance

    @classmethod
    def with_initial_data(cls: type[Any], description: str | None = None, **kwargs: Any) -> type[Any]:
        """A subclass whose fields default to `kwargs` (and with a description for the UI)."""
        fields: dict[str, Any] = {}
        for name, value in kwargs.items():
            field = cls.model_fields.get(name)
            fields[name] = (field.annotation if field is not None else type(value), value)
        model: Any = pydantic.create_model(cls.__name__, __base__=cls, **fields)
        if description is not None:
            setattr(model, "_description", description)  # noqa: B010  # a class attribute the UI reads
        return model

    def _reply_target(self) -> UUID:
        sender = self.metadata.sender
        if sender and sender.startswith("prefect.flow-run"):
            return UUID(sender.rpartition(".")[2])
        raise RuntimeError("Cannot respond to an input that was not sent by a flow run.")

    def respond(self, run_input: Any, sender: str | None = None, key_prefix: str | None = None) -> Any:
        """Send `run_input` back to the flow run that sent this one."""
        target = self._reply_target()
        return dispatch(lambda: _send_sync(target, run_input, sender, key_prefix),
                        lambda: asend_input(run_input, target, sender, key_prefix), None)

    async def arespond(self, run_input: Any, sender: str | None = None, key_prefix: str | None = None) -> None:
        """`respond` for async code."""
        await asend_input(run_input, self._reply_target(), sender, key_prefix)

    def send_to(self, flow_run_id: UUID, sender: str | None = None, key_prefix: str | None = None) -> Any:
        """Send this input to a flow run."""
        return dispatch(lambda: _send_sync(flow_run_id, self, sender, key_prefix),
                        lambda: asend_input(self, flow_run_id, sender, key_prefix), None)

    async def asend_to(self, flow_run_id: UUID, sender: str | None = None, key_prefix: str | None = None) -> None:
        """`send_to` for async code."""
        await asend_input(self, flow_run_id, sender, key_prefix)


class RunInput(BaseRunInput):
    """Base class of the input models a flow waits for or receives (see the module docstring)."""

    @classmethod
    def receive(cls, timeout: float | None = 3600, poll_interval: float = 10, raise_timeout_error: bool = False,
                exclude_keys: set[str] | None = None, key_prefix: str | None = None,
                flow_run_id: UUID | None = None) -> GetInputHandler[Any]:
        """Iterate over the inputs of this type sent to the run (see `receive_input`)."""
        return GetInputHandler(cls, key_prefix or f"{cls.__name__.lower()}-auto", timeout, poll_interval,
                               raise_timeout_error, exclude_keys, flow_run_id)

    @classmethod
    def subclass_from_base_model_type(cls, model_cls: type[pydantic.BaseModel]) -> type[RunInput]:
        """A `RunInput` subclass with the fields of a plain pydantic model."""
        return type(f"{model_cls.__name__}RunInput", (RunInput, model_cls), {})


class AutomaticRunInput(BaseRunInput, Generic[T]):
    """A plain type wrapped as a model with one field, `value` (what loading returns)."""

    value: T

    @classmethod
    def load_now(cls, keyset: Keyset, flow_run_id: UUID | None = None) -> Any:
        """The wrapped value of the response (what `load` returns)."""
        return super().load_now(keyset, flow_run_id).value

    @classmethod
    def subclass_from_type(cls, _type: Any) -> type[AutomaticRunInput[Any]]:
        """The wrapper model of `_type`, named `<type name>AutomaticRunInput` (its keys' prefix)."""
        prefix = str(getattr(_type, "__name__", getattr(_type, "_name", "")) or "").lower()
        model: Any = pydantic.create_model(f"{prefix}AutomaticRunInput", __base__=AutomaticRunInput,
                                           value=(_type, ...))
        return model

    @classmethod
    def receive(cls, timeout: float | None = 3600, poll_interval: float = 10, raise_timeout_error: bool = False,
                exclude_keys: set[str] | None = None, key_prefix: str | None = None,
                flow_run_id: UUID | None = None, with_metadata: bool = False) -> GetAutomaticInputHandler[Any]:
        """Iterate over the values of this type sent to the run (see `receive_input`)."""
        return GetAutomaticInputHandler(cls, key_prefix or f"{cls.__name__.lower()}-auto", timeout, poll_interval,
                                        raise_timeout_error, exclude_keys, flow_run_id, with_metadata)


def run_input_subclass_from_type(_type: Any) -> Any:
    """The input model for `_type`: itself for a RunInput, a RunInput subclass for a
    pydantic model, an `AutomaticRunInput` wrapper for anything else."""
    if isclass(_type):
        if issubclass(_type, RunInput):
            return _type
        if issubclass(_type, pydantic.BaseModel):
            return RunInput.subclass_from_base_model_type(_type)
    return AutomaticRunInput.subclass_from_type(_type)


class GetInputHandler(Generic[R]):
    """Iterates over the inputs of one model sent to a flow run, oldest first.

    Each is taken once (its key excluded afterwards). Iteration waits for the next one,
    looking every `poll_interval` seconds, and stops after `timeout` seconds without
    one (or raises `TimeoutError` when `raise_timeout_error`).
    """

    def __init__(self, run_input_cls: type[R], key_prefix: str, timeout: float | None = 3600,
                 poll_interval: float = 10, raise_timeout_error: bool = False,
                 exclude_keys: set[str] | None = None, flow_run_id: UUID | None = None) -> None:
        self.run_input_cls = run_input_cls
        self.key_prefix = key_prefix
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.raise_timeout_error = raise_timeout_error
        self.exclude_keys: set[str] = set(exclude_keys or ())
        self.flow_run_id = ensure_flow_run_id(flow_run_id)

    def __iter__(self) -> Any:
        return self

    def __next__(self) -> Any:
        try:
            return self._next_sync()
        except TimeoutError:
            if self.raise_timeout_error:
                raise
            raise StopIteration from None

    def __aiter__(self) -> Any:
        return self

    async def __anext__(self) -> Any:
        try:
            return await self.anext()
        except TimeoutError:
            if self.raise_timeout_error:
                raise
            raise StopAsyncIteration from None

    def filter_for_inputs_sync(self) -> list[Any]:
        """The next input not yet taken (a list of at most one), now taken."""
        found = sync_filter(self.key_prefix, 1, self.exclude_keys, self.flow_run_id)
        self.exclude_keys.update(i.key for i in found)
        return list(found)

    async def filter_for_inputs(self) -> list[Any]:
        """`filter_for_inputs_sync` for async code."""
        import asyncio

        return await asyncio.to_thread(self.filter_for_inputs_sync)

    def to_instance(self, flow_run_input: Any) -> Any:
        """A stored input as an instance of the model."""
        return self.run_input_cls.load_from_flow_run_input(flow_run_input)

    def _next_sync(self) -> Any:
        started = time.monotonic()
        while True:
            found = self.filter_for_inputs_sync()
            if found:
                return self.to_instance(found[0])
            if self.timeout is not None and time.monotonic() - started >= self.timeout:
                raise TimeoutError("Timed out waiting for input")
            time.sleep(self.poll_interval)

    def next(self) -> Any:
        """The next input; raises `TimeoutError` when none comes within `timeout`."""
        return dispatch(self._next_sync, self.anext, None)

    async def anext(self) -> Any:
        """`next` for async code."""
        import asyncio

        return await asyncio.to_thread(self._next_sync)


class GetAutomaticInputHandler(GetInputHandler[Any], Generic[T]):
    """`GetInputHandler` for a wrapped plain type: yields the values (or, `with_metadata`,
    the wrapper models with their metadata)."""

    def __init__(self, run_input_cls: Any, key_prefix: str, timeout: float | None = 3600, poll_interval: float = 10,
                 raise_timeout_error: bool = False, exclude_keys: set[str] | None = None,
                 flow_run_id: UUID | None = None, with_metadata: bool = False) -> None:
        super().__init__(run_input_cls, key_prefix, timeout, poll_interval, raise_timeout_error, exclude_keys,
                         flow_run_id)
        self.with_metadata = with_metadata

    def to_instance(self, flow_run_input: Any) -> Any:
        instance = self.run_input_cls.load_from_flow_run_input(flow_run_input)
        return instance if self.with_metadata else instance.value


def _send_sync(flow_run_id: Any, run_input: Any, sender: str | None, key_prefix: str | None) -> None:
    if not isinstance(run_input, RunInput):
        run_input = run_input_subclass_from_type(type(run_input))(value=run_input)
    prefix = key_prefix if key_prefix is not None else f"{type(run_input).__name__.lower()}-auto"
    sync_create_from_model(f"{prefix}-{uuid4()}", run_input, flow_run_id, sender)


def send_input(run_input: Any, flow_run_id: UUID, sender: str | None = None, key_prefix: str | None = None) -> Any:
    """Send `run_input` (a RunInput, a pydantic model or a plain value) to a flow run,
    for it to `receive_input`. In async code this returns a coroutine."""
    return dispatch(lambda: _send_sync(flow_run_id, run_input, sender, key_prefix),
                    lambda: asend_input(run_input, flow_run_id, sender, key_prefix), None)


async def asend_input(run_input: Any, flow_run_id: UUID, sender: str | None = None,
                      key_prefix: str | None = None) -> None:
    """`send_input` for async code."""
    import asyncio

    await asyncio.to_thread(_send_sync, flow_run_id, run_input, sender, key_prefix)


def receive_input(input_type: Any, timeout: float | None = 3600, poll_interval: float = 10,
                  raise_timeout_error: bool = False, exclude_keys: set[str] | None = None,
                  key_prefix: str | None = None, flow_run_id: UUID | None = None,
                  with_metadata: bool = False) -> Any:
    """Iterate (`for` or `async for`) over the inputs of `input_type` sent to a flow run
    (default: the current one), oldest first, each once; stops after `timeout` seconds
    with none new."""
    input_cls = run_input_subclass_from_type(input_type)
    if issubclass(input_cls, AutomaticRunInput):
        return input_cls.receive(timeout=timeout, poll_interval=poll_interval, raise_timeout_error=raise_timeout_error,
                                 exclude_keys=exclude_keys, key_prefix=key_prefix, flow_run_id=flow_run_id,
                                 with_metadata=with_metadata)
    return input_cls.receive(timeout=timeout, poll_interval=poll_interval, raise_timeout_error=raise_timeout_error,
                             exclude_keys=exclude_keys, key_prefix=key_prefix, flow_run_id=flow_run_id)

