"""Prefect 1's cache validators (`prefect.engine.cache_validators`) for `cache_for=`.

A validator decides whether a cached state from an earlier run of a task may stand
in for running it again: `validator(cached_state, inputs, parameters) -> bool`.

    @task(cache_for=timedelta(hours=1), cache_validator=all_inputs)
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["all_inputs", "all_parameters", "duration_only", "input_hashes", "never_use", "partial_inputs_only",
           "partial_parameters_only"]

Validator = Callable[[Any, dict[str, Any], dict[str, Any] | None], bool]


def _token(value: Any) -> str:
    try:
        data = pickle.dumps(value, protocol=4)
    except Exception:  # unpicklable inputs: fall back on their repr
        data = repr(value).encode()
    return hashlib.sha256(data).hexdigest()


def input_hashes(inputs: dict[str, Any]) -> dict[str, str]:
    """A hash of each input, kept on a Cached state to compare later runs' inputs with."""
    return {key: _token(value) for key, value in inputs.items()}


def never_use(state: Any, inputs: dict[str, Any], parameters: dict[str, Any] | None) -> bool:
    """Never reuse a cached result."""
    return False


def duration_only(state: Any, inputs: dict[str, Any], parameters: dict[str, Any] | None) -> bool:
    """Reuse the cached result until it expires (the default)."""
    from headwater.engine.state import utcnow

    expiration = getattr(state, "cached_result_expiration", None)
    return expiration is None or expiration > utcnow()


def all_inputs(state: Any, inputs: dict[str, Any], parameters: dict[str, Any] | None) -> bool:
    """Reuse it until it expires, if the task's inputs are the same."""
    if not duration_only(state, inputs, parameters):
        return False
    hashed = getattr(state, "hashed_inputs", None)
    if hashed is not None:
        return bool(hashed == input_hashes(inputs))
    return bool(state.cached_inputs == inputs)


def all_parameters(state: Any, inputs: dict[str, Any], parameters: dict[str, Any] | None) -> bool:
    """Reuse it until it expires, if the flow's parameters are the same."""
    return duration_only(state, inputs, parameters) and state.cached_parameters == parameters


def partial_parameters_only(validate_on: Iterable[str] | None = None) -> Validator:
    """A validator: reuse until expiry if the parameters named in `validate_on` are the same."""
    names = None if validate_on is None else set(validate_on)

    def validator(state: Any, inputs: dict[str, Any], parameters: dict[str, Any] | None) -> bool:
        if not duration_only(state, inputs, parameters):
            return False
        if names is None:
            return True
        cached = state.cached_parameters or {}
        given = parameters or {}
        return {k: v for k, v in given.items() if k in names} == {k: v for k, v in cached.items() if k in names}

    return validator


def partial_inputs_only(validate_on: Iterable[str] | None = None) -> Validator:
    """A validator: reuse until expiry if the inputs named in `validate_on` are the same."""
    names = None if validate_on is None else set(validate_on)

    def validator(state: Any, inputs: dict[str, Any], parameters: dict[str, Any] | None) -> bool:
        if not duration_only(state, inputs, parameters):
            return False
        if names is None:
            return True
        hashed = getattr(state, "hashed_inputs", None) or {}
        now = input_hashes({k: v for k, v in inputs.items() if k in names})
        return all(hashed.get(k) == v for k, v in now.items())

    return validator
