"""`VariableMethods`: Prefect's client methods for variables, part of `SyncPrefectClient`.

`create_variable`, `read_variable_by_name`, `read_variables`, `update_variable` and
`delete_variable_by_name` with Prefect's arguments and results, over the transport
(`headwater.client.transport`); the async client gets them as coroutines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from headwater.exceptions import ObjectNotFound

if TYPE_CHECKING:
    from headwater.client.schemas.actions import VariableCreate, VariableUpdate
    from headwater.client.schemas.objects import Variable
    from headwater.client.transport import Transport
    from headwater.core.variable_schemas import VariableInfo

__all__ = ["VariableMethods", "to_variable"]


def to_variable(info: VariableInfo) -> Variable:
    """The operations' `VariableInfo` as Prefect's `Variable` object."""
    from headwater.client.schemas.objects import Variable

    return Variable(id=UUID(info.id), name=info.name, value=info.value, tags=info.tags, created=info.created,
                    updated=info.updated)


class VariableMethods:
    """The variables methods of the client (see the module docstring)."""

    if TYPE_CHECKING:
        def _ops(self) -> Transport: ...

    def create_variable(self, variable: VariableCreate) -> Variable:
        """Create a variable.

        Raises:
            ObjectAlreadyExists: a variable has this name.
            ParameterValidationError: the value is larger than the server allows
                (`HEADWATER_VARIABLE_MAX_BYTES`).
        """
        from headwater.core.variable_schemas import VariableCreate as Create

        body = Create(name=variable.name, value=variable.value, tags=variable.tags or [])
        return to_variable(self._ops().create_variable(body))

    def read_variable_by_name(self, name: str) -> Variable | None:
        """The variable called `name`, or None if there is none."""
        try:
            return to_variable(self._ops().read_variable(name))
        except ObjectNotFound:
            return None

    def read_variables(self, limit: int | None = None) -> list[Variable]:
        """Every variable (at most `limit`), by name."""
        from headwater.core.variable_schemas import VariableFilterRequest

        return [to_variable(v) for v in self._ops().filter_variables(VariableFilterRequest(limit=limit))]

    def update_variable(self, variable: VariableUpdate) -> None:
        """Change the variable called `variable.name`: its value, and its tags if given.

        Raises:
            ObjectNotFound: no variable has this name.
        """
        from headwater.core.variable_schemas import VariableUpdate as Update

        if variable.name is None:
            raise ValueError("update_variable needs the variable's name (VariableUpdate(name=..., value=...))")
        changes = variable.model_dump(exclude_unset=True)
        changes.pop("name")
        self._ops().update_variable(variable.name, Update(**changes))

    def delete_variable_by_name(self, name: str) -> None:
        """Delete the variable called `name`.

        Raises:
            ObjectNotFound: no variable has this name.
        """
        self._ops().delete_variable(name)
