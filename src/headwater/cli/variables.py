"""`headwater variable ls|inspect|get|set|unset` (Prefect's `prefect variable` verbs).

Each command goes through the client's transport (`cli/_control.py`), so it works the
same on the embedded database and against a server.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Optional

import typer

from headwater.cli._output import OutputFormat, format_time, print_error, print_json, print_rich

__all__ = ["app"]

app = typer.Typer(name="variable", help="Manage variables: named JSON values flows and deployments read.",
                  no_args_is_help=True)

NameArgument = Annotated[str, typer.Argument(metavar="NAME", help="The variable's name.")]
OutputOption = Annotated[OutputFormat, typer.Option("--output", "-o", help="table or json.")]


def parse_value(text: str) -> Any:
    """VALUE as Prefect's CLI reads it: JSON when it parses (`3`, `true`, `[1, 2]`,
    `{"a": 1}`, `"quoted"`), else the text itself."""
    from headwater.cli._input import check_json_depth

    try:
        value = json.loads(text)
    except ValueError:
        return text
    except RecursionError:
        raise typer.BadParameter("the value nests thousands of levels deep; send a flatter value",
                                 param_hint="VALUE") from None
    return check_json_depth(value, "VALUE")


def _check_name(name: str) -> None:
    from headwater.core.variable_schemas import check_variable_name

    try:
        check_variable_name(name)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="NAME") from None


def _not_found(name: str) -> typer.Exit:
    print_error(f"Variable {name!r} not found. List the variables with `headwater variable ls`.")
    return typer.Exit(code=1)


@app.command("ls")
def list_variables(
    limit: Annotated[int, typer.Option(min=0, help="The maximum number of variables to return.")] = 100,
    output: OutputOption = OutputFormat.table,
) -> None:
    """List variables by name, with their values."""
    from headwater.cli._control import open_control
    from headwater.core.variable_schemas import VariableFilterRequest

    with open_control() as control:
        found = control.filter_variables(VariableFilterRequest(limit=limit))
    if output is OutputFormat.json:
        print_json([v.model_dump(mode="json") for v in found])
        return
    if not found:
        typer.echo("No variables. Create one with `headwater variable set NAME VALUE`.")
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("NAME", no_wrap=True)
    table.add_column("VALUE", max_width=50, no_wrap=True, overflow="ellipsis")
    table.add_column("TAGS")
    table.add_column("UPDATED", no_wrap=True)
    for v in found:
        table.add_row(v.name, json.dumps(v.value, ensure_ascii=False), ", ".join(v.tags) or "-",
                      format_time(v.updated))
    print_rich(table)


@app.command("inspect")
def inspect_variable(name: NameArgument, output: OutputOption = OutputFormat.table) -> None:
    """Show a variable: its value, tags and times."""
    from headwater.cli._control import open_control
    from headwater.exceptions import ObjectNotFound

    with open_control() as control:
        try:
            variable = control.read_variable(name)
        except ObjectNotFound:
            raise _not_found(name) from None
    if output is OutputFormat.json:
        print_json(variable.model_dump(mode="json"))
        return
    rows = [("Name", variable.name), ("Id", variable.id), ("Tags", ", ".join(variable.tags) or "-"),
            ("Created", format_time(variable.created)), ("Updated", format_time(variable.updated))]
    for label, value in rows:
        typer.echo(f"{label + ':':<9} {value}")
    typer.echo("Value:")
    typer.echo(json.dumps(variable.value, indent=2, ensure_ascii=False))


@app.command("get")
def get_variable(name: NameArgument) -> None:
    """Print a variable's value as JSON."""
    from headwater.cli._control import open_control
    from headwater.exceptions import ObjectNotFound

    with open_control() as control:
        try:
            variable = control.read_variable(name)
        except ObjectNotFound:
            raise _not_found(name) from None
    typer.echo(json.dumps(variable.value, ensure_ascii=False))


@app.command("set")
def set_variable(
    name: NameArgument,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="JSON (3, true, [1, 2], {\"a\": 1}) or plain text.")],
    overwrite: Annotated[bool, typer.Option("--overwrite/--no-overwrite",
                                            help="Overwrite the variable if it already exists.")] = False,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", help="Tag to keep with it (repeat for more).")] = None,
) -> None:
    """Set a variable. If it already exists, use --overwrite to update it (its tags are replaced too)."""
    from headwater.cli._control import open_control
    from headwater.core.variable_schemas import VariableCreate, VariableUpdate
    from headwater.exceptions import ObjectNotFound

    _check_name(name)
    parsed = parse_value(value)
    with open_control() as control:
        try:
            control.read_variable(name)
        except ObjectNotFound:
            control.create_variable(VariableCreate(name=name, value=parsed, tags=tag or []))
        else:
            if not overwrite:
                print_error(f"Variable {name!r} already exists. Use `--overwrite` to update it.")
                raise typer.Exit(code=1)
            control.update_variable(name, VariableUpdate(value=parsed, tags=tag or []))
    typer.echo(f"Set variable {name!r}.")


@app.command("unset")
def unset_variable(name: NameArgument) -> None:
    """Unset (delete) a variable."""
    from headwater.cli._control import open_control
    from headwater.exceptions import ObjectNotFound

    with open_control() as control:
        try:
            control.delete_variable(name)
        except ObjectNotFound:
            raise _not_found(name) from None
    typer.echo(f"Unset variable {name!r}.")


app.command("delete", help="Unset (delete) a variable; the same as `unset`.")(unset_variable)
