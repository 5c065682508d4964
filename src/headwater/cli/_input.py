"""How the CLI reads what people type, where more than one command reads it.

`-p KEY=VALUE` parameters (`run`, `deployment run`), project and pool names, work pool
types. Errors are `typer.BadParameter`, which typer prints as a usage error naming the
option.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import typer

__all__ = ["SUPPORTED_POOL_TYPES", "check_json_depth", "check_pool_type", "check_project_name", "parse_job_variables",
           "parse_pairs"]

SUPPORTED_POOL_TYPES = ("process",)


def parse_pairs(pairs: list[str], is_text: Callable[[str], bool]) -> dict[str, Any]:
    """`-p key=value` pairs as a dict: values parsed as JSON, or kept as typed where
    `is_text(key)` (string parameters, so `-p label=007` stays "007").

    Raises:
        typer.BadParameter: a pair has no `=`, an empty key, or repeats a key.
    """
    parameters: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise typer.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="-p/--param")
        if key in parameters:
            raise typer.BadParameter(f"parameter {key!r} is given twice", param_hint="-p/--param")
        parameters[key] = text if is_text(key) else check_json_depth(_json_or_text(text), "-p/--param")
    return parameters


def check_json_depth(value: Any, option: str) -> Any:
    """`value`, unless it nests deeper than HEADWATER_JSON_MAX_DEPTH (what the server and
    the history take).

    Raises:
        typer.BadParameter: it does, naming the limit.
    """
    from headwater.core.json_depth import depth_message, too_deep
    from headwater.core.settings import get_settings

    limit = get_settings().json_max_depth
    if too_deep(value, limit):
        raise typer.BadParameter(depth_message(limit), param_hint=option)
    return value


def parse_job_variables(pairs: list[str]) -> dict[str, Any]:
    """`--job-variable KEY=VALUE` pairs (VALUE is JSON, or text), as Prefect's CLI reads them.

    Raises:
        typer.BadParameter: a pair without `=` or with an empty key.
    """
    variables: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="-jv/--job-variable")
        variables[key.strip()] = _json_or_text(text)
    return variables


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text
    except RecursionError:  # thousands of levels: deeper than any limit
        from headwater.core.json_depth import MAX_DEPTH, depth_message

        raise typer.BadParameter(depth_message(MAX_DEPTH), param_hint="-p/--param") from None


def check_project_name(name: str) -> None:
    """Refuse a project or pool name the store cannot hold or a URL path cannot carry."""
    if not name.strip() or "/" in name or len(name) > 255:
        raise typer.BadParameter(f"{name!r} is not a usable name: 1 to 255 characters, no '/'", param_hint="NAME")


def check_pool_type(value: str, option: str) -> None:
    """Refuse a work pool / worker type headwater does not run (Prefect has docker, kubernetes, ...)."""
    if value.strip().lower() not in SUPPORTED_POOL_TYPES:
        raise typer.BadParameter(
            f"headwater supports only work pools of type 'process' (flow runs as local processes), not {value!r}; "
            f"use --type process, or leave --type out", param_hint=option)
