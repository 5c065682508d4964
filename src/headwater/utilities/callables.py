"""Working with a function's parameters, as in `prefect.utilities.callables`.

Binding calls to parameter dicts and back (`get_call_parameters`,
`parameters_to_args_kwargs`, `call_with_parameters`), `**kwargs` handling
(`explode_variadic_parameter`, `collapse_variadic_parameters`), mapping
(`expand_mapping_parameters`) and the JSON schema of a function's parameters
(`parameter_schema`, with descriptions from a Google-style docstring).
"""

from __future__ import annotations

import contextlib
import inspect
import logging
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from headwater.exceptions import (
    MappingLengthMismatch,
    MappingMissingIterable,
    ParameterBindError,
    ReservedArgumentError,
    SignatureMismatchError,
)
from headwater.utilities.annotations import allow_failure, quote, unmapped
from headwater.utilities.collections import isiterable

if TYPE_CHECKING:
    from headwater.utilities.parameter_schema import ParameterSchema

__all__ = [
    "MappingLengthMismatch",
    "MappingMissingIterable",
    "ParameterBindError",
    "ParameterSchema",
    "ReservedArgumentError",
    "SignatureMismatchError",
    "allow_failure",
    "call_with_parameters",
    "cloudpickle_wrapped_call",
    "collapse_variadic_parameters",
    "expand_mapping_parameters",
    "explode_variadic_parameter",
    "generate_parameter_schema",
    "get_call_parameters",
    "get_logger",
    "get_parameter_defaults",
    "isiterable",
    "parameter_docstrings",
    "parameter_schema",
    "parameter_schema_from_entrypoint",
    "parameters_to_args_kwargs",
    "quote",
    "raise_for_reserved_arguments",
    "safe_load_namespace",
    "unmapped",
]

_SCHEMA_NAMES = {"ParameterSchema", "generate_parameter_schema", "parameter_docstrings", "parameter_schema",
                 "parameter_schema_from_entrypoint"}


def __getattr__(name: str) -> Any:
    # The schema helpers need pydantic; binding helpers do not.
    if name in _SCHEMA_NAMES:
        from headwater.utilities import parameter_schema as schemas

        return getattr(schemas, name)
    if name == "get_logger":
        from headwater.logging.loggers import get_logger

        return get_logger
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _signature(fn: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(getattr(fn, "fn", fn))  # a Task or Flow: its function's signature


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__name__", None) or getattr(fn, "name", None) or repr(fn)


def get_call_parameters(fn: Callable[..., Any], call_args: tuple[Any, ...], call_kwargs: dict[str, Any],
                        apply_defaults: bool = True) -> dict[str, Any]:
    """The arguments of a call by parameter name (`*args` as a tuple, `**kwargs` as a dict).

    Raises:
        ParameterBindError: the arguments do not fit the signature.
    """
    signature = _signature(fn)
    try:
        bound = signature.bind(*call_args, **call_kwargs)
    except TypeError as exc:
        shown = ", ".join(str(p) for p in signature.parameters.values())
        raise ParameterBindError(
            f"Error binding parameters for function {_name(fn)!r}: {exc}.\nFunction {_name(fn)!r} has signature "
            f"{shown!r} but received args: {call_args} and kwargs: {list(call_kwargs)}."
        ) from None
    if apply_defaults:
        bound.apply_defaults()
    return dict(bound.arguments)


def get_parameter_defaults(fn: Callable[..., Any]) -> dict[str, Any]:
    """The default of each parameter that has one."""
    return {name: p.default for name, p in _signature(fn).parameters.items() if p.default is not p.empty}


def _variadic(fn: Callable[..., Any], kind: inspect._ParameterKind) -> str | None:
    return next((name for name, p in _signature(fn).parameters.items() if p.kind is kind), None)


def explode_variadic_parameter(fn: Callable[..., Any], parameters: dict[str, Any]) -> dict[str, Any]:
    """Move the entries of the `**kwargs` parameter up to the top level of `parameters`."""
    name = _variadic(fn, inspect.Parameter.VAR_KEYWORD)
    if name is None or name not in parameters:
        return parameters
    exploded = {key: value for key, value in parameters.items() if key != name}
    exploded.update(parameters[name])
    return exploded


def collapse_variadic_parameters(fn: Callable[..., Any], parameters: dict[str, Any]) -> dict[str, Any]:
    """Gather the entries of `parameters` the signature does not name into its `**kwargs` parameter.

    Raises:
        ValueError: there are such entries but the function has no `**kwargs`.
    """
    signature = _signature(fn)
    unknown = [key for key in parameters if key not in signature.parameters]
    name = _variadic(fn, inspect.Parameter.VAR_KEYWORD)
    if unknown and name is None:
        raise ValueError(f"Signature for {_name(fn)} does not include any variadic keyword argument "
                         f"but parameters were given: {unknown}")
    collapsed = {key: value for key, value in parameters.items() if key not in unknown}
    if name is not None:
        collapsed[name] = {key: parameters[key] for key in unknown}
    return collapsed


def parameters_to_args_kwargs(fn: Callable[..., Any], parameters: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Turn `{parameter: value}` into the `(args, kwargs)` of a call.

    Positional parameters go into `args` while they are given in order (a missing one
    takes its default when `*args` values follow); `*args` and `**kwargs` parameters
    are unpacked.

    Raises:
        SignatureMismatchError: `parameters` names a parameter the function does not have.
    """
    signature = _signature(fn)
    unknown = [key for key in parameters if key not in signature.parameters]
    if unknown:
        raise SignatureMismatchError(f"Function expects parameters {list(signature.parameters)} but was provided "
                                     f"with parameters {list(parameters)}")
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    var_args = _variadic(fn, inspect.Parameter.VAR_POSITIONAL)
    fill_gaps = var_args is not None and bool(parameters.get(var_args))
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    in_order = True
    for name, parameter in signature.parameters.items():
        if parameter.kind in positional and in_order:
            if name in parameters:
                args.append(parameters[name])
            elif fill_gaps and parameter.default is not parameter.empty:
                args.append(parameter.default)
            else:
                in_order = False
        elif parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            if in_order:
                args.extend(parameters.get(name, ()))
        elif parameter.kind is inspect.Parameter.VAR_KEYWORD:
            kwargs.update(parameters.get(name, {}))
        elif name in parameters:
            kwargs[name] = parameters[name]
    return tuple(args), kwargs


def call_with_parameters(fn: Callable[..., Any], parameters: dict[str, Any]) -> Any:
    """Call `fn` with `{parameter: value}` (see `parameters_to_args_kwargs`)."""
    args, kwargs = parameters_to_args_kwargs(fn, parameters)
    return fn(*args, **kwargs)


def _call_and_pickle(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
    import cloudpickle

    return bytes(cloudpickle.dumps(fn(*args, **kwargs)))


def cloudpickle_wrapped_call(__fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[], bytes]:
    """A no-argument callable that calls `__fn(*args, **kwargs)` and returns its result
    pickled with cloudpickle (to ship a call to another process and its result back)."""
    return partial(_call_and_pickle, __fn, args, kwargs)


def raise_for_reserved_arguments(fn: Callable[..., Any], reserved_arguments: Iterable[str]) -> None:
    """Raise if `fn` has a parameter whose name is reserved.

    Raises:
        ReservedArgumentError: naming the first reserved parameter.
    """
    parameters = _signature(fn).parameters
    for name in reserved_arguments:
        if name in parameters:
            raise ReservedArgumentError(f"{name!r} is a reserved argument name and cannot be used.")


def expand_mapping_parameters(fn: Callable[..., Any], parameters: dict[str, Any]) -> list[dict[str, Any]]:
    """The parameters of each call when mapping `fn` over the iterable values of `parameters`.

    Values wrapped in `unmapped(...)` and values that are not iterable are passed to
    every call as they are.

    Raises:
        MappingMissingIterable: no value to map over.
        MappingLengthMismatch: the iterables have different lengths.
    """
    iterables: dict[str, list[Any]] = {}
    static: dict[str, Any] = {}
    for key, value in parameters.items():
        if isinstance(value, unmapped):
            static[key] = value.value
        elif isinstance(value, allow_failure) and isiterable(value.value):
            iterables[key] = [allow_failure(item) for item in value.value]
        elif isiterable(value):
            iterables[key] = list(value)
        else:
            static[key] = value
    if not iterables:
        raise MappingMissingIterable("No iterable parameters were received. Parameters for map must include at "
                                     f"least one iterable. Parameters: {parameters}")
    lengths = {key: len(values) for key, values in iterables.items()}
    if len(set(lengths.values())) > 1:
        raise MappingLengthMismatch("Received iterable parameters with different lengths. Parameters for map must "
                                    f"all be the same length. Got lengths: {lengths}")
    count = next(iter(lengths.values()))
    return [{key: iterables[key][i] if key in iterables else static[key] for key in parameters} for i in range(count)]


@contextlib.contextmanager
def disable_logger(name: str) -> Iterator[None]:
    """Turn off the logger `name` for the duration of the block."""
    logger = logging.getLogger(name)
    was_disabled = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was_disabled


def safe_load_namespace(source_code: str, filepath: str | None = None) -> dict[str, Any]:
    """The names a module's source defines, without running the module as a whole.

    Imports that fail are skipped; each top-level function, class and assignment is
    run on its own, and one that fails is skipped, so a script's side effects under
    `if __name__ == "__main__":` (and elsewhere outside definitions) do not happen.
    """
    import ast
    import importlib

    tree = ast.parse(source_code)
    namespace: dict[str, Any] = {"__name__": "prefect_safe_namespace_loader", "__file__": filepath}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                try:
                    module = importlib.import_module(alias.name)
                except Exception:
                    continue
                if alias.asname:
                    namespace[alias.asname] = module
                else:
                    top = alias.name.partition(".")[0]
                    namespace[top] = importlib.import_module(top) if top != alias.name else module
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            try:
                module = importlib.import_module(node.module)
            except Exception:
                continue
            for alias in node.names:
                if alias.name == "*":
                    continue
                with contextlib.suppress(AttributeError, ImportError):
                    value = getattr(module, alias.name) if hasattr(module, alias.name) else \
                        importlib.import_module(f"{node.module}.{alias.name}")
                    namespace[alias.asname or alias.name] = value
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)):
            code = compile(ast.Module(body=[node], type_ignores=[]), filepath or "<string>", "exec")
            with contextlib.suppress(Exception):
                exec(code, namespace)  # noqa: S102 - the user's own definitions, one at a time
    return namespace
