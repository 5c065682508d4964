"""Flow parameters: bound to the signature, validated and coerced from type hints.

Each annotated parameter gets a pydantic `TypeAdapter`, built once per flow, so an
error names exactly the parameter, the value given and the type expected.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from headwater.exceptions import ParameterBindError, ParameterTypeError

if TYPE_CHECKING:
    from headwater.engine.flows import Flow

__all__ = ["bind_parameters", "jsonable", "recorded_parameters", "validate_parameters"]

_VARIADIC = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def bind_parameters(signature: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any],
                    what: str) -> inspect.BoundArguments:
    """Bind a call to a signature, with defaults applied.

    Raises:
        ParameterBindError: missing or unexpected arguments, named.
    """
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError as exc:
        expected = ", ".join(signature.parameters) or "no parameters"
        raise ParameterBindError(f"{what}: {exc} (parameters: {expected})") from None
    bound.apply_defaults()
    return bound


def validate_parameters(flow: Flow[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
                        ) -> tuple[dict[str, Any], tuple[Any, ...], dict[str, Any]]:
    """Return (parameters by name, call args, call kwargs), validated against the hints.

    Raises:
        ParameterTypeError: naming each bad parameter, its value and expected type.
    """
    bound = bind_parameters(flow.signature, args, kwargs, f"flow {flow.name!r}")
    if flow.options.validate_parameters:
        adapters = flow.parameter_adapters()
        problems = []
        for name, adapter in adapters.items():
            if name not in bound.arguments:
                continue
            value = bound.arguments[name]
            try:
                bound.arguments[name] = adapter.validate_python(value)
            except Exception as exc:  # pydantic.ValidationError, or a validator's own error
                problems.append(_describe(name, value, flow.signature.parameters[name].annotation, exc))
        if problems:
            raise ParameterTypeError(f"invalid parameters for flow {flow.name!r}: {'; '.join(problems)}")
    parameters = {}
    for name, value in bound.arguments.items():
        kind = flow.signature.parameters[name].kind
        if kind is inspect.Parameter.VAR_KEYWORD:
            parameters.update(value)
        else:
            parameters[name] = value
    return parameters, bound.args, bound.kwargs


def build_adapters(signature: inspect.Signature, hints: dict[str, Any]) -> dict[str, Any]:
    """A TypeAdapter per annotated, non-variadic parameter."""
    from pydantic import ConfigDict, TypeAdapter

    adapters = {}
    for name, parameter in signature.parameters.items():
        if parameter.kind in _VARIADIC or name not in hints:
            continue
        try:
            adapters[name] = TypeAdapter(hints[name], config=ConfigDict(arbitrary_types_allowed=True))
        except Exception:
            # pydantic cannot validate this hint (e.g. a plain class with config);
            # fall back to accepting any value rather than refusing the flow.
            try:
                adapters[name] = TypeAdapter(hints[name])
            except Exception:
                continue
    return adapters


def _describe(name: str, value: Any, annotation: Any, exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    detail = "; ".join(e["msg"] for e in errors()) if callable(errors) else str(exc)
    expected = getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")
    shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return f"parameter {name!r} got {shown} ({type(value).__name__}), expected {expected}: {detail}"


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of `value` for the run history (unknown objects become their repr)."""
    from pydantic_core import to_jsonable_python

    try:
        return to_jsonable_python(value, fallback=repr)
    except Exception:
        return repr(value)


_ENVELOPE_LEVELS = 8
"""Levels the records carrying a run's parameters to a server add around them (a batch,
its record, the parameters' dict), kept free so the server takes the batch."""


def recorded_parameters(parameters: dict[str, Any], max_bytes: int, max_depth: int = 100) -> dict[str, Any]:
    """The JSON-safe parameters kept in the run history, at most about `max_bytes` of JSON.

    The flow itself always gets its real arguments; only the history copy is bounded.
    A value nested deeper than `max_depth` less the records' own levels is replaced by
    a note naming the setting. When the whole is too large, the largest values are
    replaced, one by one, by a short note naming their size and the setting, until the
    rest fits.
    """
    import json

    from headwater.core.json_depth import too_deep

    deepest = max(1, max_depth - _ENVELOPE_LEVELS)
    recorded = {
        name: (f"<not recorded: nested deeper than {deepest} levels; the history keeps JSON up to "
               f"HEADWATER_JSON_MAX_DEPTH ({max_depth}) levels deep, records included>")
        if too_deep(value, deepest) else jsonable(value)
        for name, value in parameters.items()
    }
    sizes = {name: len(json.dumps(value, default=repr, ensure_ascii=False).encode("utf-8", "surrogatepass"))
             for name, value in recorded.items()}
    total = sum(sizes.values())
    for name in sorted(sizes, key=sizes.__getitem__, reverse=True):
        if total <= max_bytes:
            break
        note = (f"<not recorded: {sizes[name]} bytes as JSON; the history keeps at most {max_bytes} "
                "bytes of parameters, set by HEADWATER_PARAMETERS_MAX_RECORDED_BYTES>")
        recorded[name] = note
        total += len(note) - sizes[name]
    return recorded
