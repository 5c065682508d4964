"""`headwater run FILE.py:FLOW -p key=value ...`: run a flow in this process.

Each `-p` value is read as JSON when it parses as JSON (`3`, `true`, `[1, 2]`,
`{"a": 1}`, `null`) and kept as a string otherwise; a parameter annotated `str` always
gets the text as typed. The flow then validates and coerces the values against its
type hints. Exit code 0 means the flow run Completed, 1 that it did not (or that the
entrypoint or parameters were wrong), 2 a usage error.
"""

from __future__ import annotations

import inspect
import os
import sys
import types
import typing
from typing import Annotated, Any, Optional

import typer

from headwater.cli._input import parse_pairs
from headwater.cli._output import one_line, print_error
from headwater.exceptions import HeadwaterError, ParameterValidationError

__all__ = ["parse_parameters", "run_flow"]


def run_flow(
    entrypoint: Annotated[
        str, typer.Argument(metavar="ENTRYPOINT", help="path/to/file.py:flow_function or package.module:flow_function")
    ],
    param: Annotated[
        Optional[list[str]],
        typer.Option("--param", "-p", metavar="KEY=VALUE", help="A flow parameter (repeatable); VALUE is JSON or text."),
    ] = None,
) -> None:
    """Run a flow from a file or module, with parameters, and record it in the run history.

    Exits 0 when the flow run Completed and 1 when it failed; the run's logs say why.
    """
    from headwater.engine.entrypoints import load_flow

    # Like `python -m`, so `package.module:flow` finds packages in the current folder.
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    flow_obj = load_flow(entrypoint)
    parameters = parse_parameters(param or [], _signature_of(flow_obj))
    try:
        result = flow_obj(**parameters)
        if inspect.iscoroutine(result):
            import asyncio

            asyncio.run(result)
    except ParameterValidationError:
        raise
    except Exception as exc:
        # The engine has logged the failure and recorded it; one line is enough here.
        print_error(f"flow run of {flow_obj.name!r} failed: {_describe_failure(exc)}")
        raise typer.Exit(code=1) from None


def parse_parameters(pairs: list[str], signature: inspect.Signature | None) -> dict[str, Any]:
    """Turn `key=value` strings into flow keyword arguments.

    Args:
        pairs: the `-p` values as typed.
        signature: the flow function's signature, to catch unknown or missing
            parameters and keep text for `str` parameters; None skips those checks.

    Raises:
        typer.BadParameter: a pair has no `=`, an empty key, or repeats a key.
        ParameterValidationError: a key is not a parameter of the flow, or a required one is missing.
    """
    parameters = parse_pairs(pairs, _text_parameters(signature).__contains__)
    if signature is not None:
        _check_names(parameters, signature)
    return parameters


def _check_names(parameters: dict[str, Any], signature: inspect.Signature) -> None:
    accepted = signature.parameters
    if any(p.kind is p.VAR_KEYWORD for p in accepted.values()):
        return
    known = [name for name, p in accepted.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    listing = ", ".join(known) or "none"
    for key in parameters:
        if key not in known:
            raise ParameterValidationError(f"the flow has no parameter {key!r}; its parameters are: {listing}")
    for name in known:
        if accepted[name].default is inspect.Parameter.empty and name not in parameters:
            raise ParameterValidationError(f"missing required flow parameter {name!r}; pass it with -p {name}=VALUE")


def _signature_of(flow_obj: Any) -> inspect.Signature | None:
    function = getattr(flow_obj, "fn", flow_obj)
    # Resolve string annotations (`from __future__ import annotations`) when possible.
    for eval_str in (True, False):
        try:
            return inspect.signature(function, eval_str=eval_str)
        except Exception:
            continue
    return None


_TEXT_ANNOTATIONS = frozenset({"str", "str | None", "None | str", "Optional[str]", "typing.Optional[str]"})


def _text_parameters(signature: inspect.Signature | None) -> set[str]:
    """Names of the parameters annotated `str` (or `str | None`): they take text as typed."""
    if signature is None:
        return set()
    return {name for name, p in signature.parameters.items() if _is_text(p.annotation)}


def _is_text(annotation: Any) -> bool:
    if isinstance(annotation, str):
        return annotation in _TEXT_ANNOTATIONS
    if annotation is str:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return [arg for arg in typing.get_args(annotation) if arg is not type(None)] == [str]
    return False


def _describe_failure(exc: BaseException) -> str:
    message = one_line(str(exc))
    if isinstance(exc, HeadwaterError) and message:
        # headwater's own errors (a failed state returned, a time-out) say what happened.
        return message
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__

