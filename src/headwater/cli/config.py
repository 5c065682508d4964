"""`headwater config view`: the settings in force and where each value came from.

`--output json` prints one object keyed by setting name, each
`{"env": "HEADWATER_...", "value": ..., "source": "env" | "config.toml" | "default"}`.
Secrets (`api_key`) and database passwords are masked.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from headwater.cli._output import OutputFormat, mask_url, print_json

if TYPE_CHECKING:
    from headwater.core.settings import Settings

__all__ = ["app", "describe_settings", "view_config"]

app = typer.Typer(name="config", help="Show headwater's settings.", no_args_is_help=True)


@app.command("view")
def view_config(
    output: Annotated[
        OutputFormat, typer.Option("--output", "-o", help="table for people, json for scripts.")
    ] = OutputFormat.table,
) -> None:
    """Show every setting, its value and its source (env, config.toml or default).

    With `--output json`, prints one object keyed by setting name, each with
    `env` (the variable that sets it), `value` and `source`.
    """
    from headwater.core.settings import get_settings

    described = describe_settings(get_settings())
    if output is OutputFormat.json:
        print_json(described)
        return
    for entry in described.values():
        typer.echo(f"{entry['env']}={json.dumps(entry['value'])} ({entry['source']})")


def describe_settings(settings: Settings) -> dict[str, dict[str, Any]]:
    """Each setting's variable name, JSON-safe masked value and source."""
    from_file = _config_file_keys(settings)
    described: dict[str, dict[str, Any]] = {}
    for name in type(settings).model_fields:
        env = f"HEADWATER_{name.upper()}"
        # Reading the environment here only reports provenance; the values
        # themselves come from the settings object.
        if env in os.environ:
            source = "env"
        elif name in from_file:
            source = "config.toml"
        else:
            source = "default"
        described[name] = {"env": env, "value": _shown_value(name, getattr(settings, name)), "source": source}
    return described


def _shown_value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "api_key":
        return "********"
    if name == "database_url":
        return mask_url(value)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _config_file_keys(settings: Settings) -> set[str]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        with (settings.home / "config.toml").open("rb") as f:
            return set(tomllib.load(f))
    except (OSError, ValueError):
        # load_settings() already read this file successfully or found none.
        return set()
