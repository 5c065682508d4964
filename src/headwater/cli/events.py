"""`headwater event stream|ls` (Prefect's `prefect event stream`, and a listing).

Both go through the client's transport (`cli/_control.py`): on the embedded database
the stream follows the file, against a server it reads `/api/events/stream`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from headwater.cli._output import print_error, print_rich

if TYPE_CHECKING:
    from headwater.core.event_schemas import EventFilter, ReceivedEvent

__all__ = ["app"]

app = typer.Typer(name="event", help="Read and follow events: what happened to runs, deployments and more.",
                  no_args_is_help=True)


class EventFormat(str, Enum):
    """How `event stream` prints each event."""

    json = "json"
    text = "text"


def _line(event: ReceivedEvent, fmt: EventFormat) -> str:
    if fmt is EventFormat.json:
        return json.dumps(event.model_dump(mode="json"), separators=(",", ":"))
    return f"{event.occurred.isoformat()} {event.event} {event.resource.id}"


def _filter(prefix: Optional[list[str]], resource: Optional[list[str]], since: Optional[str]) -> EventFilter:
    from headwater.core.event_schemas import EventFilter, EventNameFilter, EventOccurredFilter, EventResourceFilter

    spec = EventFilter()
    if prefix:
        spec.event = EventNameFilter(prefix=prefix)
    if resource:
        ids = [r for r in resource if not r.endswith("*")]
        prefixes = [r[:-1] for r in resource if r.endswith("*")]
        spec.resource = EventResourceFilter(id=ids or None, id_prefix=prefixes or None)
    if since:
        spec.occurred = EventOccurredFilter(since=_since(since))
    return spec


def _since(text: str) -> datetime:
    """`since` as ISO 8601 (`2026-01-31T12:00`) or an age (`90s`, `15m`, `2h`, `7d`)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    if text and text[-1] in units and text[:-1].replace(".", "", 1).isdigit():
        return datetime.now(timezone.utc) - timedelta(seconds=float(text[:-1]) * units[text[-1]])
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(f"{text!r} is neither a time (2026-01-31T12:00) nor an age (90s, 15m, 2h, 7d)",
                                 param_hint="--since") from None
    return moment if moment.tzinfo else moment.astimezone(timezone.utc)


PrefixOption = Annotated[Optional[list[str]], typer.Option(
    "--event", "-e", help="Only events whose name starts with this (repeatable); headwater.* reads as prefect.*.")]
ResourceOption = Annotated[Optional[list[str]], typer.Option(
    "--resource", "-r", help="Only events of this resource id (repeatable); end with * for a prefix.")]


@app.command("stream")
def stream(
    format: Annotated[EventFormat, typer.Option("--format", help="json or text.")] = EventFormat.json,
    output_file: Annotated[Optional[str], typer.Option("--output-file", help="Append events to this file.")] = None,
    run_once: Annotated[bool, typer.Option("--run-once", help="Stop after the first event.")] = False,
    prefix: PrefixOption = None,
    resource: ResourceOption = None,
) -> None:
    """Follow new events, printing each as it is stored (Ctrl-C stops)."""
    from headwater.cli._control import open_control

    spec = _filter(prefix, resource, None)
    print_rich("Subscribing to event stream...")
    out = open(output_file, "a", encoding="utf-8") if output_file else None
    try:
        with open_control() as control:
            for event in control.stream_events(spec, backfill=False):
                line = _line(event, format)
                if out is not None:
                    out.write(line + "\n")
                    out.flush()
                else:
                    typer.echo(line)
                if run_once:
                    return
    except KeyboardInterrupt:
        return
    finally:
        if out is not None:
            out.close()


@app.command("ls")
def list_events(
    prefix: PrefixOption = None,
    resource: ResourceOption = None,
    since: Annotated[Optional[str], typer.Option(help="From this time or age ago (90s, 15m, 2h, 7d).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Show at most this many.")] = 50,
    format: Annotated[EventFormat, typer.Option("--format", help="json or text.")] = EventFormat.text,
) -> None:
    """List stored events, newest first."""
    from headwater.cli._control import open_control

    spec = _filter(prefix, resource, since)
    shown = 0
    with open_control() as control:
        page = control.read_events(spec, min(limit, 50))
        while True:
            for event in page.events:
                if shown >= limit:
                    return
                typer.echo(_line(event, format))
                shown += 1
            if not page.next_page or shown >= limit:
                break
            page = control.read_events_page(page.next_page)
    if shown == 0:
        print_error("No events match. Widen the filters, or check --since.")
