"""`VariableOperations`: the variables part of the control plane (`Operations` inherits it).

The rules beyond one query live here, once, for the server's routes and the
in-process transport alike: a value must be JSON and at most `variable_max_bytes`
(a `ParameterValidationError`, which the API answers 422), and the variable
templates of a deployment's parameters are resolved when a worker claims a run.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.core.deployment_schemas import ClaimedRun
    from headwater.core.settings import Settings
    from headwater.core.variable_schemas import (
        VariableCount,
        VariableCreate,
        VariableFilterRequest,
        VariableInfo,
        VariableUpdate,
    )
    from headwater.store import Store

__all__ = ["VariableOperations"]

log = logging.getLogger("headwater.operations")


class VariableOperations:
    """Create, read, list, change and delete variables; resolve their templates."""

    if TYPE_CHECKING:
        store: Store

        @property
        def settings(self) -> Settings: ...

    def _check_value(self, value: Any, name: str) -> None:
        from headwater.core.variable_schemas import check_variable_value
        from headwater.exceptions import ParameterValidationError

        try:
            check_variable_value(value, self.settings.variable_max_bytes, name)
        except ValueError as exc:
            raise ParameterValidationError(str(exc)) from None

    def create_variable(self, body: VariableCreate) -> VariableInfo:
        """Create a variable.

        Raises:
            ObjectAlreadyExists: the name is taken.
            ParameterValidationError: the value is not JSON or is too large.
        """
        self._check_value(body.value, body.name)
        return self.store.variables.create_variable(body.name, body.value, list(body.tags))

    def read_variable(self, name: str) -> VariableInfo:
        """A variable by name. Raises `ObjectNotFound`."""
        return self.store.variables.read_variable(name)

    def read_variable_by_id(self, variable_id: str) -> VariableInfo:
        """A variable by id. Raises `ObjectNotFound`."""
        return self.store.variables.read_variable_by_id(variable_id)

    def filter_variables(self, request: VariableFilterRequest) -> list[VariableInfo]:
        """One page of the variables matching the request, in its order."""
        return self.store.variables.filter_variables(request.variables, sort=request.sort, limit=request.limit,
                                                     offset=request.offset)

    def count_variables(self, request: VariableCount) -> int:
        """How many variables match the request's filter."""
        return self.store.variables.count_variables(request.variables)

    def update_variable(self, name: str, body: VariableUpdate) -> VariableInfo:
        """Change the fields of `body` that were given (a `value` of None included).

        Raises:
            ObjectNotFound: no such variable.
            ObjectAlreadyExists: renamed to a name that is taken.
            ParameterValidationError: the new value is not JSON or is too large.
        """
        changes = body.model_dump(exclude_unset=True)
        if "name" in changes and changes["name"] is None:
            del changes["name"]
        if "tags" in changes and changes["tags"] is None:
            del changes["tags"]
        if "value" in changes:
            self._check_value(changes["value"], name)
        return self.store.variables.update_variable(name, changes)

    def delete_variable(self, name: str) -> None:
        """Delete a variable. Raises `ObjectNotFound`."""
        self.store.variables.delete_variable(name)

    def resolve_claimed_parameters(self, runs: list[ClaimedRun]) -> list[ClaimedRun]:
        """Replace `{{ prefect.variables.NAME }}` (or `headwater.variables.NAME`) in the
        parameters of claimed runs with the variables' current values (one query for all).

        A variable that does not exist becomes the empty string, as on Prefect, and is
        logged as a warning naming the run and the variable.
        """
        from headwater.core.variable_schemas import (
            MISSING_VARIABLE,
            resolve_variable_templates,
            template_variable_names,
        )

        wanted = set().union(*(template_variable_names(run.parameters) for run in runs)) if runs else set()
        if not wanted:
            return runs
        values = self.store.variables.read_values(wanted)
        resolved: list[ClaimedRun] = []
        for run in runs:
            missing = sorted(template_variable_names(run.parameters) - values.keys())
            if missing:
                log.warning("flow run %s: no variable named %s; its template in the parameters becomes ''",
                            run.flow_run_name, ", ".join(repr(m) for m in missing))
            parameters = resolve_variable_templates(run.parameters, lambda n: values.get(n, MISSING_VARIABLE))
            resolved.append(run.model_copy(update={"parameters": parameters}))
        return resolved
