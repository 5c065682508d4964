"""Secret tasks of static flows.

`PrefectSecret("NAME")` reads a local secret: from `prefect.context.secrets` (set with
`with context(secrets={...})`), else from the environment variable
`PREFECT__CONTEXT__SECRETS__NAME` (Prefect 1's own name for it, so programs written for
it keep working). A JSON value is decoded. `EnvVarSecret("VAR")` reads an environment
variable (None when unset, unless `raise_if_missing=True`), optionally cast.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from headwater.engine.tasks import Task

__all__ = ["EnvVarSecret", "PrefectSecret", "SecretBase", "get_secret"]

_ENV_PREFIX = "PREFECT__CONTEXT__SECRETS__"


def get_secret(name: str) -> Any:
    """The local secret `name` (see the module docstring).

    Raises:
        ValueError: no such secret.
    """
    from headwater.engine.static.context import context

    secrets = context.get("secrets") or {}
    if name in secrets:
        value = secrets[name]
    elif _ENV_PREFIX + name in os.environ:
        value = os.environ[_ENV_PREFIX + name]
    else:
        raise ValueError(f'Local Secret "{name}" was not found.')
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class SecretBase(Task[..., Any]):
    """Base class of secret tasks (never cached, never checkpointed)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("checkpoint", False)
        super().__init__(**kwargs)


class PrefectSecret(SecretBase):
    """A task returning the local secret `name`.

    Raises (when run):
        ValueError: no name, or no such secret.
    """

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        self.secret_name = name
        super().__init__(name=name, **kwargs)

    def run(self, name: str | None = None) -> Any:
        name = name if name is not None else self.secret_name
        if name is None:
            raise ValueError("A secret name must be provided.")
        return get_secret(name)


class EnvVarSecret(PrefectSecret):
    """A task returning the environment variable `name` (None when unset), optionally cast.

    Args:
        name: the variable.
        cast: applied to the value when it is set (e.g. `int`).
        raise_if_missing: fail instead of returning None when it is unset.
    """

    def __init__(self, name: str | None = None, cast: Callable[[Any], Any] | None = None,
                 raise_if_missing: bool = False, **kwargs: Any) -> None:
        self.cast = cast
        self.raise_if_missing = raise_if_missing
        super().__init__(name=name, **kwargs)

    def run(self, name: str | None = None) -> Any:
        name = name if name is not None else self.secret_name
        if name is None:
            raise ValueError("A secret name must be provided.")
        if self.raise_if_missing and name not in os.environ:
            raise ValueError(f"Environment variable not set: {name}")
        value = os.getenv(name)
        if value is not None and self.cast is not None:
            value = self.cast(value)
        return value
