"""How the CLI prints: errors, JSON documents, tables and the small formats in them.

Only the standard library and typer are imported at module level; rich is imported
when a table is drawn, so `headwater --help` stays fast.
"""

from __future__ import annotations

import enum
import json
import re
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from headwater.core.schemas import LogInfo, StateInfo

__all__ = [
    "OutputFormat",
    "format_duration",
    "format_log_line",
    "format_time",
    "make_console",
    "mask_url",
    "one_line",
    "print_error",
    "print_json",
    "print_rich",
    "short_id",
    "show_state",
    "state_text",
]


class OutputFormat(str, enum.Enum):
    """What a listing command prints: a table for people or JSON for scripts."""

    table = "table"
    json = "json"


_STATE_STYLES = {
    "COMPLETED": "green",
    "FAILED": "red",
    "CRASHED": "bold red",
    "RUNNING": "blue",
    "CANCELLING": "bright_black",
    "CANCELLED": "bright_black",
    "SCHEDULED": "yellow",
    "PENDING": "yellow",
    "PAUSED": "yellow",
}


def one_line(message: str) -> str:
    """Collapse a possibly multi-line message into one line."""
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def print_error(message: str) -> None:
    """Print `Error: message` as one plain line on stderr."""
    sys.stderr.write(f"Error: {one_line(message)}\n")
    sys.stderr.flush()


def print_json(document: Any) -> None:
    """Print a JSON document on stdout, indented, non-ASCII kept as is."""
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


def make_console() -> Console:
    """A rich console on stdout; wide when not a terminal so piped tables do not wrap."""
    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        console = Console(width=200)
    return console


def print_rich(*renderables: Any) -> None:
    """Print rich renderables (tables, text); piped output loses the padding rich adds."""
    console = make_console()
    if console.is_terminal:
        console.print(*renderables)
        return
    with console.capture() as capture:
        console.print(*renderables)
    typer.echo("\n".join(line.rstrip() for line in capture.get().splitlines()))


def short_id(run_id: str) -> str:
    """The last 8 characters of an id, accepted back by `inspect`. Run ids begin with
    their creation time, so their start is shared by runs made together; the end is random."""
    return run_id[-8:]


def format_time(moment: datetime | None) -> str:
    """A timestamp in local time to the second, or `-`."""
    if moment is None:
        return "-"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def format_duration(seconds: float | None) -> str:
    """A duration people read at a glance: `0.042s`, `12.3s`, `4m 05s`, `2h 01m`."""
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds:.3f}s"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def state_text(state: StateInfo | None) -> Text:
    """A state's name coloured by its type (`Retrying` is blue like RUNNING)."""
    from rich.text import Text

    if state is None:
        return Text("-")
    return Text(state.name, style=_STATE_STYLES.get(state.type, ""))


_URL_PASSWORD = re.compile(r"^(?P<head>[^:/]+://[^:/@]*:)(?P<password>[^@]*)(?P<tail>@.*)$")


def mask_url(url: str | None) -> str | None:
    """Hide the password of a URL: `postgresql://u:***@host/db`."""
    if url is None:
        return None
    return _URL_PASSWORD.sub(r"\g<head>***\g<tail>", url)


def format_log_line(line: LogInfo, flow_run_name: str, task_run_names: dict[str, str]) -> str:
    """One log line as `flow-run logs` and `deployment run --watch` print it: time, level, source, message."""
    import logging

    moment = line.timestamp.astimezone()
    stamp = moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
    if line.task_run_id is not None:
        source = f"Task run {task_run_names.get(line.task_run_id, short_id(line.task_run_id))!r}"
    else:
        source = f"Flow run {flow_run_name!r}"
    return f"{stamp} | {logging.getLevelName(line.level):<7} | {source} - {line.message}"


def show_state(state: StateInfo) -> None:
    """Print one state line with its message, if any (`flow-run cancel`, `flow-run retry`)."""
    text = state_text(state)
    if state.message:
        text.append(f": {state.message}")
    print_rich(text)
