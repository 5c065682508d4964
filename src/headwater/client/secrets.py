"""Prefect 1's `prefect.client.Secret`: `Secret("NAME").get()` reads a local secret.

The lookup is the one `PrefectSecret` tasks use (`headwater.tasks.secrets.get_secret`):
`prefect.context.secrets` (set with `with context(secrets={...})`), else the environment
variable `PREFECT__CONTEXT__SECRETS__NAME`; a JSON value is decoded. headwater has no
Prefect Cloud, so there is no server-side secret store to fall back to.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Secret"]


class Secret:
    """A named local secret, read when `get()` is called.

    Args:
        name: the secret's name.

    Example:
        >>> import os
        >>> os.environ["PREFECT__CONTEXT__SECRETS__TOKEN"] = '"abc"'
        >>> Secret("TOKEN").get()
        'abc'
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Secret(name={self.name!r})"

    def exists(self) -> bool:
        """Whether the secret can be read (in `prefect.context.secrets` or the environment)."""
        from headwater.tasks.secrets import get_secret

        try:
            get_secret(self.name)
        except ValueError:
            return False
        return True

    def get(self) -> Any:
        """The secret's value, JSON-decoded when it is JSON text.

        Raises:
            ValueError: called while a `with Flow(...)` block is being built (secrets are
                read when a flow runs), or there is no such secret.
        """
        from headwater.engine.static.building import building_flow_var
        from headwater.tasks.secrets import get_secret

        if building_flow_var.get() is not None:
            raise ValueError("Secrets should only be retrieved during a Flow run, not while building a Flow.")
        return get_secret(self.name)
