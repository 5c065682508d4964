"""Flow run input: the request and reply bodies, and the rules of pausing and resuming.

A flow run's input is a set of JSON values keyed by `(flow_run_id, key)`, as in
Prefect: a paused run that waits for input stores the JSON schema of what it waits for
under `<state>-<pause key>-schema`, the person (or program) resuming it sends the value,
which is checked against that schema and stored under `<state>-<pause key>-response`;
`send_input`/`receive_input` use keys of their own (`<type>-auto-<uuid>`).

A Paused state carries its pause in `details`: `pause_key` (which pause of the flow this
is), `pause_timeout` (ISO 8601, when it expires), `pause_reschedule` (True for a
suspended run, whose process has left and which is scheduled again when resumed) and
`run_input_keyset` (the keys above, when input is awaited). Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Optional

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "FlowRunInputCreate",
    "FlowRunInputFilter",
    "FlowRunInputInfo",
    "PauseDetails",
    "ResumeRequest",
    "check_input_key",
    "pause_details_of",
]

# Prefect's rule for input keys: letters, digits and dashes only.
InputKey = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9-]+$")]


def check_input_key(key: str) -> str:
    """Return `key` if it is a valid input key, else raise ValueError naming the rule."""
    import re

    if not re.fullmatch(r"[A-Za-z0-9-]{1,255}", key or ""):
        raise ValueError(f"key {key!r}: an input key holds only letters, digits and dashes (at most 255)")
    return key


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FlowRunInputCreate(_Model):
    """Body of `POST /flow_runs/{id}/input`: `value` is the JSON text of the input."""

    key: InputKey
    value: Annotated[str, StringConstraints(max_length=10_000_000, pattern=r"^[^\x00]*$")]
    sender: Optional[Annotated[str, StringConstraints(max_length=255, pattern=r"^[^\x00]*$")]] = None


class FlowRunInputFilter(_Model):
    """Body of `POST /flow_runs/{id}/input/filter`: inputs whose key starts with `prefix`."""

    prefix: Annotated[str, StringConstraints(max_length=255, pattern=r"^[^\x00]*$")]
    limit: Annotated[int, Field(ge=1, le=1000)] = 1
    exclude_keys: Annotated[list[Annotated[str, StringConstraints(max_length=255, pattern=r"^[^\x00]*$")]],
                            Field(max_length=10_000)] = []


class FlowRunInputInfo(BaseModel):
    """One stored input of a flow run (`value` is JSON text)."""

    id: str
    flow_run_id: str
    key: str
    value: str
    sender: str | None = None
    created: datetime
    updated: datetime


class ResumeRequest(_Model):
    """Body of `POST /flow_runs/{id}/resume`: the input for a run that waits for some."""

    run_input: Optional[dict[str, Any]] = None


class PauseDetails(BaseModel):
    """The pause a Paused state describes (see the module docstring)."""

    pause_key: str | None = None
    pause_timeout: datetime | None = None
    pause_reschedule: bool = False
    run_input_keyset: dict[str, str] | None = None


def pause_details_of(details: dict[str, Any] | None) -> PauseDetails:
    """The pause facts held in a state's `details` (absent ones at their defaults)."""
    details = details or {}
    return PauseDetails(
        pause_key=details.get("pause_key"),
        pause_timeout=details.get("pause_timeout"),
        pause_reschedule=bool(details.get("pause_reschedule", False)),
        run_input_keyset=details.get("run_input_keyset"),
    )


_MAX_PROBLEMS = 20


def run_input_problems(schema: dict[str, Any], value: Any) -> list[tuple[str, str]]:
    """What is wrong with `value` for the input `schema`: (field, message) pairs, the
    field a dotted path (`approved`, `address.city`) or "" for the input as a whole.

    A schema that cannot be compiled refuses nothing (as run parameters do).
    """
    import json

    from headwater.core.parameter_schemas import compiled_validator

    try:
        validator = compiled_validator(json.dumps(schema, sort_keys=True))
    except Exception:  # a schema the validator cannot compile: refuse nothing over it
        return []
    problems = []
    for error in validator.iter_errors(value):
        problems.append((".".join(str(part) for part in error.instance_path), str(error.message)))
        if len(problems) >= _MAX_PROBLEMS:
            break
    return problems
