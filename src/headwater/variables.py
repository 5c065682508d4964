"""Variables: named, mutable JSON values shared by flows, deployments and people
(Prefect's `prefect.variables`).

    from headwater.variables import Variable

    Variable.set("region", "eu-west-1", tags=["config"])
    Variable.get("region")                 # 'eu-west-1'
    Variable.get("missing", default=3)     # 3
    Variable.set("region", "us-east-1", overwrite=True)
    Variable.unset("region")               # True (False if there was none)

They live in the embedded database, or on the server named by `HEADWATER_API_URL`.
In async code (`async def` flows and tasks, or a running event loop) `get`, `set`
and `unset` return coroutines, as Prefect's do; `aget`, `aset` and `aunset` are
always coroutines. Values are any JSON, at most `HEADWATER_VARIABLE_MAX_BYTES`.

The client used is opened once per process (per settings) and kept, so reading a
variable costs one query, not a new database connection.
"""

from __future__ import annotations

import asyncio
from typing import Any, Generic, Optional, TypeVar

from pydantic import BaseModel, Field

from headwater.client.kept import kept_client
from headwater.core.async_dispatch import dispatch
from headwater.core.variable_schemas import MAX_VARIABLE_NAME_LENGTH

__all__ = ["Variable"]

T = TypeVar("T")


class Variable(BaseModel, Generic[T]):
    """A named JSON value, as returned by `Variable.set`.

    Attributes:
        name: the variable's name (lowercase letters, numbers, `-` and `_`).
        value: its value (any JSON).
        tags: its tags.
    """

    name: str = Field(description="The name of the variable", max_length=MAX_VARIABLE_NAME_LENGTH)
    value: Any = Field(description="The value of the variable")
    tags: Optional[list[str]] = Field(default=None)

    # -- set ------------------------------------------------------------------------
    @classmethod
    def _set(cls, name: str, value: Any, tags: list[str] | None, overwrite: bool) -> Variable[Any]:
        from headwater.client.schemas.actions import VariableCreate, VariableUpdate

        client = kept_client()
        fields = {"name": name, "value": value, "tags": tags or []}
        if client.read_variable_by_name(name) is not None:
            if not overwrite:
                raise ValueError(f"Variable {name!r} already exists. Use `overwrite=True` to update it.")
            client.update_variable(VariableUpdate.model_validate(fields))
            stored = client.read_variable_by_name(name)
            if stored is not None:
                fields = {"name": stored.name, "value": stored.value, "tags": stored.tags}
        else:
            client.create_variable(VariableCreate.model_validate(fields))
        return cls.model_validate(fields)

    @classmethod
    async def aset(cls, name: str, value: Any, tags: Optional[list[str]] = None,
                   overwrite: bool = False) -> Variable[Any]:
        """`set`, as a coroutine."""
        return await asyncio.to_thread(cls._set, name, value, tags, overwrite)

    @classmethod
    def set(cls, name: str, value: Any, tags: Optional[list[str]] = None, overwrite: bool = False,
            _sync: bool | None = None) -> Any:
        """Create the variable `name` with `value` (any JSON) and `tags`.

        Args:
            name: lowercase letters, numbers, `-` and `_`, at most 255 characters.
            value: any JSON value, at most `HEADWATER_VARIABLE_MAX_BYTES` of it.
            tags: tags to keep with it.
            overwrite: replace the value (and tags) of an existing variable.

        Returns:
            The `Variable` as stored (a coroutine of it in async code).

        Raises:
            ValueError: the variable exists and `overwrite` is False; the name or value
                is not valid (pydantic's `ValidationError`, a `ValueError`).
            ParameterValidationError: the value is larger than the limit.

        Example:
            >>> Variable.set("answer", 42, overwrite=True).value
            42
        """
        return dispatch(lambda: cls._set(name, value, tags, overwrite),
                         lambda: cls.aset(name, value, tags, overwrite), _sync)

    # -- get ------------------------------------------------------------------------
    @classmethod
    def _get(cls, name: str, default: Any) -> Any:
        variable = kept_client().read_variable_by_name(name)
        return variable.value if variable is not None else default

    @classmethod
    async def aget(cls, name: str, default: Any = None) -> Any:
        """`get`, as a coroutine."""
        return await asyncio.to_thread(cls._get, name, default)

    @classmethod
    def get(cls, name: str, default: Any = None, _sync: bool | None = None) -> Any:
        """The value of the variable `name`, or `default` if there is none
        (a coroutine of it in async code).

        Example:
            >>> Variable.get("surely-not-set", default="fallback")
            'fallback'
        """
        return dispatch(lambda: cls._get(name, default), lambda: cls.aget(name, default), _sync)

    # -- unset ----------------------------------------------------------------------
    @classmethod
    def _unset(cls, name: str) -> bool:
        from headwater.exceptions import ObjectNotFound

        try:
            kept_client().delete_variable_by_name(name)
        except ObjectNotFound:
            return False
        return True

    @classmethod
    async def aunset(cls, name: str) -> bool:
        """`unset`, as a coroutine."""
        return await asyncio.to_thread(cls._unset, name)

    @classmethod
    def unset(cls, name: str, _sync: bool | None = None) -> Any:
        """Delete the variable `name`. Returns True if it existed, False if not
        (a coroutine of it in async code)."""
        return dispatch(lambda: cls._unset(name), lambda: cls.aunset(name), _sync)

