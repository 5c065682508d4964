"""Checking a deployment run's parameters against the flow's JSON schema.

The schema is made from the flow's type hints when the flow is deployed
(`headwater.engine.deployments.parameter_schema`) and stored with the deployment, so
the server can refuse a bad value when the run is *created*, naming the parameter,
instead of the worker finding out when it starts the run.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from headwater.exceptions import ParameterValidationError

__all__ = ["check_parameters", "compiled_validator"]

_MAX_PROBLEMS = 5


@functools.lru_cache(maxsize=256)
def _validator(schema_json: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(json.loads(schema_json))


def compiled_validator(schema_json: str) -> Any:
    """A (cached) jsonschema validator for the schema in `schema_json`; raises if it does not compile."""
    return _validator(schema_json)


def check_parameters(schema: dict[str, Any] | None, parameters: dict[str, Any], *, what: str = "parameters") -> None:
    """Raise unless `parameters` satisfy `schema` (no schema: anything goes).

    Raises:
        ParameterValidationError: one line naming each bad parameter
            (`parameters.n: "x" is not of type "integer"`), missing or unexpected ones.
    """
    if not schema:
        return
    try:
        validator = _validator(json.dumps(schema, sort_keys=True))
    except Exception as exc:  # a schema jsonschema cannot compile: do not refuse runs over it
        del exc
        return
    problems = []
    for error in validator.iter_errors(parameters):
        path = ".".join(str(part) for part in error.instance_path)
        problems.append(f"{what}.{path}: {error.message}" if path else f"{what}: {error.message}")
        if len(problems) >= _MAX_PROBLEMS:
            break
    if problems:
        raise ParameterValidationError("invalid flow run parameters: " + "; ".join(problems))
