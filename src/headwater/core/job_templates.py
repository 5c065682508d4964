"""Work pool job templates and job variables, as in Prefect: pure data, no I/O.

A work pool's *base job template* has two parts:

    {"job_configuration": {"env": "{{ env }}", "command": "{{ command }}", ...},
     "variables": {"type": "object", "properties": {"env": {...}, "command": {...}}}}

`variables` is the JSON schema of the *job variables* a deployment and a run may set,
with defaults; `job_configuration` is what the worker's type receives once the
variables are put into its `{{ placeholders }}`. Variables are layered: the schema's
defaults, then the deployment's `job_variables`, then the run's. They are checked
against the schema when a deployment is registered (required ones not yet: a run may
still give them) and when a run is created (everything), so a bad value is refused
with its name before anything runs.

The `process` type's template is here because pools are created by the API and the
CLI without loading any worker code; the worker's types (`headwater.worker.types`)
read it from here.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from headwater.exceptions import ParameterValidationError

__all__ = ["DEFAULT_TEMPLATES", "check_base_job_template", "check_job_variables", "default_base_job_template",
           "job_variable_defaults", "merge_job_variables", "render_job_configuration"]

_MAX_PROBLEMS = 5
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}\}")


def _optional(kind: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [kind, {"type": "null"}]}


_PROCESS_TEMPLATE: dict[str, Any] = {
    "job_configuration": {
        "command": "{{ command }}",
        "env": "{{ env }}",
        "labels": "{{ labels }}",
        "name": "{{ name }}",
        "stream_output": "{{ stream_output }}",
        "working_dir": "{{ working_dir }}",
    },
    "variables": {
        "type": "object",
        "properties": {
            "name": {**_optional({"type": "string"}), "default": None, "title": "Name",
                     "description": "A name for what the worker starts (the process type does not use it)."},
            "env": {"type": "object", "title": "Environment Variables",
                    "additionalProperties": _optional({"type": "string"}),
                    "description": "Environment variables set in the run's process (null removes one)."},
            "labels": {"type": "object", "title": "Labels", "additionalProperties": {"type": "string"},
                       "description": "Labels for what the worker starts (kept with the run; the process type "
                                      "has nothing to label)."},
            "command": {**_optional({"type": "string"}), "default": None, "title": "Command",
                        "description": "The command that starts the run's process; leave empty for headwater's "
                                       "own (`python -m headwater.worker.child`)."},
            "stream_output": {"type": "boolean", "default": True, "title": "Stream Output",
                              "description": "Show the run process's output in the worker's output; false "
                                             "discards it."},
            "working_dir": {**_optional({"type": "string", "format": "path"}), "default": None,
                            "title": "Working Directory",
                            "description": "The directory the run's process starts in (default: the worker's)."},
        },
    },
}

DEFAULT_TEMPLATES: dict[str, dict[str, Any]] = {"process": _PROCESS_TEMPLATE}
"""The base job template of each built-in work pool type."""


def default_base_job_template(pool_type: str) -> dict[str, Any]:
    """A fresh copy of a pool type's default template.

    Raises:
        ParameterValidationError: no such built-in type (the message lists them).
    """
    template = DEFAULT_TEMPLATES.get(pool_type)
    if template is None:
        raise ParameterValidationError(
            f"unknown work pool type {pool_type!r}: the built-in types are {', '.join(sorted(DEFAULT_TEMPLATES))}")
    return copy.deepcopy(template)


def check_base_job_template(template: dict[str, Any]) -> None:
    """Refuse a base job template that is not Prefect's shape or whose defaults fail its own schema.

    Raises:
        ParameterValidationError: naming what is wrong.
    """
    if not template:
        return
    unknown = sorted(set(template) - {"job_configuration", "variables"})
    if unknown:
        raise ParameterValidationError(
            f"invalid base job template: unexpected key(s) {', '.join(map(repr, unknown))}; a template has "
            "'job_configuration' and 'variables' (see `headwater work-pool get-default-base-job-template`)")
    configuration = template.get("job_configuration", {})
    variables = template.get("variables", {})
    if not isinstance(configuration, dict) or not isinstance(variables, dict):
        raise ParameterValidationError("invalid base job template: 'job_configuration' and 'variables' must be "
                                       "JSON objects")
    if variables and variables.get("type", "object") != "object":
        raise ParameterValidationError("invalid base job template: 'variables' must be a JSON schema of type object")
    properties = variables.get("properties", {})
    if not isinstance(properties, dict):
        raise ParameterValidationError("invalid base job template: 'variables.properties' must be an object")
    named = set(properties)
    for placeholder in _placeholders(configuration):
        if placeholder not in named:
            raise ParameterValidationError(
                f"invalid base job template: job_configuration uses {{{{ {placeholder} }}}}, which is not a "
                "variable in 'variables.properties'")
    _validate(variables, job_variable_defaults(template), "base job template defaults", ignore_required=True)


def job_variable_defaults(template: dict[str, Any] | None) -> dict[str, Any]:
    """The defaults the template's variables schema declares."""
    properties = ((template or {}).get("variables") or {}).get("properties") or {}
    return {name: copy.deepcopy(spec["default"]) for name, spec in properties.items()
            if isinstance(spec, dict) and "default" in spec}


def merge_job_variables(template: dict[str, Any] | None, *layers: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults, then each layer over the one before (a deployment's, then a run's)."""
    merged = job_variable_defaults(template)
    for layer in layers:
        merged.update(layer or {})
    return merged


def check_job_variables(template: dict[str, Any] | None, *layers: dict[str, Any] | None, final: bool,
                        what: str) -> None:
    """Check layered job variables against the template's schema.

    Args:
        final: a run's (every required variable must have a value); False for a
            deployment's, which a run may still complete.
        what: what is being created, for the message ("deployment 'etl/nightly'").

    Raises:
        ParameterValidationError: `invalid job variables for ...: job_variables.env: ...`.
    """
    variables = (template or {}).get("variables")
    if not variables:
        return
    _validate(variables, merge_job_variables(template, *layers), f"job variables for {what}",
              ignore_required=not final)


def _validate(schema: dict[str, Any], values: dict[str, Any], what: str, *, ignore_required: bool) -> None:
    import jsonschema_rs

    if ignore_required:
        schema = {k: v for k, v in schema.items() if k != "required"}
    try:
        validator = jsonschema_rs.validator_for(schema)
    except Exception as exc:
        raise ParameterValidationError(f"invalid base job template: its variables schema is not valid JSON "
                                       f"schema ({exc})") from None
    problems = []
    try:
        for error in validator.iter_errors(values):
            path = ".".join(str(part) for part in error.instance_path)
            problems.append(f"job_variables.{path}: {error.message}" if path else f"job_variables: {error.message}")
            if len(problems) >= _MAX_PROBLEMS:
                break
    except (ValueError, OverflowError, TypeError) as exc:  # a value JSON schema cannot hold (a huge integer)
        problems.append(f"job_variables: cannot be checked ({exc})")
    if problems:
        raise ParameterValidationError(f"invalid {what}: " + "; ".join(problems))


def _placeholders(value: Any) -> list[str]:
    if isinstance(value, str):
        return [m.group(1) for m in _PLACEHOLDER.finditer(value)]
    if isinstance(value, dict):
        return [p for item in value.values() for p in _placeholders(item)]
    if isinstance(value, list):
        return [p for item in value for p in _placeholders(item)]
    return []


def render_job_configuration(template: dict[str, Any] | None, variables: dict[str, Any]) -> dict[str, Any]:
    """The template's `job_configuration` with each `{{ name }}` replaced by its variable.

    A string that is one placeholder becomes the variable's value as it is (a dict, a
    bool, None); a placeholder inside longer text is replaced by the value's text. A
    key whose only placeholder has no value is left out. Variables the configuration
    does not mention are added as they are, so a type sees every variable it was given.
    """
    configuration = (template or {}).get("job_configuration") or {}
    missing = object()

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            whole = _PLACEHOLDER.fullmatch(value.strip())
            if whole:
                return variables.get(whole.group(1), missing)
            return _PLACEHOLDER.sub(lambda m: _as_text(variables.get(m.group(1), "")), value)
        if isinstance(value, dict):
            filled = {k: fill(v) for k, v in value.items()}
            return {k: v for k, v in filled.items() if v is not missing}
        if isinstance(value, list):
            return [v for v in (fill(item) for item in value) if v is not missing]
        return value

    rendered = fill(copy.deepcopy(configuration))
    for name, value in variables.items():
        rendered.setdefault(name, copy.deepcopy(value))
    return dict(rendered)


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
