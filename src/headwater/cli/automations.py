"""`headwater automation ls|inspect|create|pause|resume|delete` (Prefect's `prefect
automation` verbs).

`create -f FILE` reads a JSON or YAML file holding one automation, a list of them, or
`{"automations": [...]}`; a malformed trigger or action is refused naming the field
(`automations[0].trigger.within: ...`), before anything is created. Each command goes
through the client's transport (`cli/_control.py`): the embedded database or a server.
Triggers are evaluated by `headwater server start` (docs/automations.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from headwater.cli._output import OutputFormat, format_time, print_error, print_json, print_rich

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.core.automation_schemas import AutomationCore, AutomationInfo

__all__ = ["app", "read_automation_file"]

app = typer.Typer(name="automation", help="Manage automations: when something happens (or does not), act.",
                  no_args_is_help=True)

NameArgument = Annotated[Optional[str], typer.Argument(metavar="NAME", help="The automation's name.")]
IdOption = Annotated[Optional[str], typer.Option("--id", help="The automation's id (instead of its name).")]
OutputOption = Annotated[OutputFormat, typer.Option("--output", "-o", help="table or json.")]


def read_automation_file(path: Path) -> list[AutomationCore]:
    """The automations a JSON or YAML file describes.

    Raises:
        typer.BadParameter: the file cannot be read, does not parse, or an automation in
            it is malformed (naming the field).
    """
    from pydantic import ValidationError

    from headwater.core.automation_schemas import AutomationCore

    try:
        text = path.read_text()
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint="--from-file") from None
    document: Any
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml  # type: ignore[import-untyped]  # PyYAML ships no type hints
        except ImportError:
            raise typer.BadParameter(f"reading {path} needs PyYAML (pip install pyyaml); or give a JSON file",
                                     param_hint="--from-file") from None

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise typer.BadParameter(f"{path} is not valid YAML: {exc}", param_hint="--from-file") from None
    else:
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise typer.BadParameter(f"{path} is not valid JSON: {exc}", param_hint="--from-file") from None
    if isinstance(document, dict) and "automations" in document:
        items, where = document["automations"], "automations"
    elif isinstance(document, list):
        items, where = document, ""
    else:
        items, where = [document], None
    if not isinstance(items, list) or not items:
        raise typer.BadParameter(f"{path}: expected an automation, a list of them or {{\"automations\": [...]}}",
                                 param_hint="--from-file")
    made = []
    for index, item in enumerate(items):
        prefix = f"{where}[{index}]." if where else (f"[{index}]." if where == "" else "")
        try:
            made.append(AutomationCore.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"] if not str(p).startswith(("function-", "tagged-union")))
            raise typer.BadParameter(f"{path}: {prefix}{loc}: {first['msg']}", param_hint="--from-file") from None
    return made


def _find(control: Transport, name: Optional[str], automation_id: Optional[str]) -> AutomationInfo:
    from headwater.core.automation_schemas import AutomationFilter, AutomationFilterName, AutomationFilterRequest
    from headwater.exceptions import ObjectNotFound

    if (name is None) == (automation_id is None):
        raise typer.BadParameter("give an automation's NAME or --id, one of them")
    if automation_id is not None:
        try:
            return control.read_automation(automation_id)
        except ObjectNotFound:
            print_error(f"Automation with id {automation_id!r} not found. List them with `headwater automation ls`.")
            raise typer.Exit(code=1) from None
    found = control.filter_automations(AutomationFilterRequest(
        automations=AutomationFilter(name=AutomationFilterName(any_=[str(name)]))))
    if not found:
        print_error(f"Automation {name!r} not found. List them with `headwater automation ls`.")
        raise typer.Exit(code=1)
    if len(found) > 1:
        print_error(f"{len(found)} automations are called {name!r}: give one's --id "
                    f"({', '.join(str(a.id) for a in found)}).")
        raise typer.Exit(code=1)
    return found[0]


@app.command("ls")
def list_automations(output: OutputOption = OutputFormat.table) -> None:
    """List automations by name: trigger, actions and whether each is enabled."""
    from headwater.cli._control import open_control
    from headwater.core.automation_schemas import AutomationFilterRequest

    with open_control() as control:
        found = control.filter_automations(AutomationFilterRequest())
    if output is OutputFormat.json:
        print_json([a.model_dump(mode="json") for a in found])
        return
    if not found:
        typer.echo("No automations. Create one with `headwater automation create -f FILE`.")
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("NAME", "ID", "ENABLED", "TRIGGER", "ACTIONS"):
        table.add_column(column, overflow="fold")
    for a in found:
        table.add_row(a.name, str(a.id), "yes" if a.enabled else "paused", a.trigger.describe_for_cli(),
                      "\n".join(action.describe_for_cli() for action in a.actions))
    print_rich(table)


@app.command("inspect")
def inspect_automation(name: NameArgument = None, automation_id: IdOption = None,
                       output: OutputOption = OutputFormat.table) -> None:
    """Show an automation and the latest actions it took."""
    from headwater.cli._control import open_control

    with open_control() as control:
        automation = _find(control, name, automation_id)
        taken = control.automation_actions(str(automation.id), limit=20)
    if output is OutputFormat.json:
        print_json({**automation.model_dump(mode="json"), "recent_actions": [t.model_dump(mode="json") for t in taken]})
        return
    typer.echo(f"Name:        {automation.name}")
    typer.echo(f"Id:          {automation.id}")
    typer.echo(f"Enabled:     {'yes' if automation.enabled else 'no (paused)'}")
    typer.echo(f"Description: {automation.description or '-'}")
    typer.echo("Trigger:")
    typer.echo(automation.trigger.describe_for_cli(indent=1))
    typer.echo("Actions:")
    for action in automation.actions:
        typer.echo(f"  {action.describe_for_cli()}")
    typer.echo("Recent actions taken:" if taken else "No action taken yet.")
    for t in taken:
        typer.echo(f"  {format_time(t.created)}  {t.action_type:<20} {t.status:<10} attempts={t.attempts}"
                   + (f"  {t.detail}" if t.detail else ""))


@app.command("create")
def create_automations(
    from_file: Annotated[Path, typer.Option("--from-file", "-f", help="A JSON or YAML file of automations.")],
) -> None:
    """Create the automations a file describes, in order (a malformed file creates none)."""
    from headwater.cli._control import open_control

    wanted = read_automation_file(from_file)
    with open_control() as control:
        for automation in wanted:
            made = control.create_automation(automation)
            typer.echo(f"Created automation {made.name!r} with id {made.id}")


def _set_enabled(name: Optional[str], automation_id: Optional[str], enabled: bool) -> None:
    from headwater.cli._control import open_control

    with open_control() as control:
        automation = _find(control, name, automation_id)
        control.set_automation_enabled(str(automation.id), enabled)
    typer.echo(f"{'Resumed' if enabled else 'Paused'} automation {automation.name!r} ({automation.id})")


@app.command("pause")
def pause_automation(name: NameArgument = None, automation_id: IdOption = None) -> None:
    """Pause an automation: its trigger is not evaluated until it is resumed."""
    _set_enabled(name, automation_id, False)


@app.command("resume")
def resume_automation(name: NameArgument = None, automation_id: IdOption = None) -> None:
    """Resume a paused automation."""
    _set_enabled(name, automation_id, True)


@app.command("delete")
def delete_automation(name: NameArgument = None, automation_id: IdOption = None) -> None:
    """Delete an automation."""
    from headwater.cli._control import open_control

    with open_control() as control:
        automation = _find(control, name, automation_id)
        control.delete_automation(str(automation.id))
    typer.echo(f"Deleted automation {automation.name!r} ({automation.id})")
