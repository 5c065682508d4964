"""`headwater gcl ...` (global concurrency limits) and `headwater concurrency-limit ...` (tag limits).

Both act on the limits in the run-history database through `headwater.concurrency.limits`,
so they work without a server. `--output json` prints limit objects: `id`, `name`
(the key: `tag:<tag>` for a tag limit), `kind` (`global` or `tag`), `tag`, `limit`,
`slot_decay_per_second`, `active`, `slots_in_use` (= `leased_slots` + `decaying_slots`),
`holders` (each `lease_id`, `slots`, `holder{pid,host,thread,run_id,...}`, `expires`,
`created`), `created`, `updated`. `ls` prints a list of them, `inspect` one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from headwater.cli._output import OutputFormat, format_time, print_json, print_rich

if TYPE_CHECKING:
    from headwater.core.limits import ConcurrencyLimitInfo, LimitKind

__all__ = ["gcl_app", "tag_app"]

gcl_app = typer.Typer(
    name="gcl",
    help="Manage global concurrency limits and rate limits (used by concurrency() and rate_limit()).",
    no_args_is_help=True,
)
tag_app = typer.Typer(
    name="concurrency-limit",
    help="Manage tag concurrency limits: how many task runs with a tag may run at once.",
    no_args_is_help=True,
)

OutputOption = Annotated[OutputFormat, typer.Option("--output", "-o", help="table for people, json for scripts.")]
LimitOption = Annotated[Optional[int], typer.Option("--limit", "-l", help="Slots at most in use at once.")]
DecayOption = Annotated[
    Optional[float],
    typer.Option("--slot-decay-per-second", "-d", help="Slots that come back per second after rate_limit()."),
]


# -- global limits ------------------------------------------------------------------
GlobalName = Annotated[str, typer.Argument(metavar="NAME", help="The limit's name.")]


@gcl_app.command("create")
def create_global_limit(
    name: GlobalName,
    limit: Annotated[int, typer.Option("--limit", "-l", help="Slots at most in use at once (>= 1).")],
    slot_decay_per_second: Annotated[
        float, typer.Option("--slot-decay-per-second", "-d", help="Slots that come back per second (rate limits).")
    ] = 0.0,
    disable: Annotated[bool, typer.Option("--disable", help="Create it inactive (it blocks nothing).")] = False,
) -> None:
    """Create a global concurrency limit (with --slot-decay-per-second: a rate limit)."""
    from headwater.concurrency import limits

    info = limits.create_limit(name, limit, slot_decay_per_second=slot_decay_per_second, active=not disable)
    typer.echo(f"Created global concurrency limit {name!r}: {_summary(info)}.")


@gcl_app.command("update")
def update_global_limit(name: GlobalName, limit: LimitOption = None, slot_decay_per_second: DecayOption = None) -> None:
    """Change a global limit's size or decay; slots already held stay held."""
    _update(name, "global", limit, slot_decay_per_second)


# -- tag limits ----------------------------------------------------------------------
TagName = Annotated[str, typer.Argument(metavar="TAG", help="The tag.")]


@tag_app.command("create", context_settings={"ignore_unknown_options": True})  # LIMIT may be "-1": say why not
def create_tag_limit(
    tag: TagName,
    limit: Annotated[int, typer.Argument(metavar="LIMIT", help="Task runs with the tag at once (0: none run).")],
) -> None:
    """Let at most LIMIT task runs tagged TAG run at once (0: they do not run)."""
    from headwater.concurrency import limits

    info = limits.create_limit(tag, limit, kind="tag")
    typer.echo(f"Created tag concurrency limit {tag!r}: {_summary(info)}.")


@tag_app.command("update")
def update_tag_limit(tag: TagName, limit: LimitOption = None) -> None:
    """Change how many task runs with the tag may run at once."""
    _update(tag, "tag", limit, None)


# -- verbs both share ------------------------------------------------------------------
def _register_shared(app: typer.Typer, kind: LimitKind, argument: object) -> None:
    """Add ls, inspect, enable, disable and delete to `app`, for limits of `kind`."""
    what = "tag concurrency limit" if kind == "tag" else "global concurrency limit"

    def list_limits(output: OutputOption = OutputFormat.table) -> None:
        from headwater.concurrency import limits

        infos = limits.list_limits(kind=kind)
        if output is OutputFormat.json:
            print_json([info.model_dump(mode="json") for info in infos])
            return
        if not infos:
            typer.echo(f"No {what}s. Create one with `{_create_hint(kind)}`.")
            return
        from rich.table import Table

        table = Table(box=None, header_style="bold", pad_edge=False)
        columns = ("TAG", "LIMIT", "IN USE", "ACTIVE", "HOLDERS") if kind == "tag" else \
            ("NAME", "LIMIT", "IN USE", "DECAY/S", "ACTIVE", "HOLDERS")
        for column in columns:
            table.add_column(column)
        for info in infos:
            row = [info.display_name, str(info.limit), _in_use(info)]
            if kind == "global":
                row.append(f"{info.slot_decay_per_second:g}")
            row += ["yes" if info.active else "no", str(len(info.holders))]
            table.add_row(*row)
        print_rich(table)

    list_limits.__doc__ = f"List the {what}s with their slots in use."

    def inspect_limit(name: str, output: OutputOption = OutputFormat.table) -> None:
        from headwater.concurrency import limits

        info = limits.read_limit(name, kind=kind)
        if output is OutputFormat.json:
            print_json(info.model_dump(mode="json"))
            return
        _print_limit(info)

    inspect_limit.__doc__ = f"Show a {what}: its limit, slots in use and who holds them."

    def enable_limit(name: str) -> None:
        _set_active(name, kind, True)

    enable_limit.__doc__ = f"Make a {what} active again."

    def disable_limit(name: str) -> None:
        _set_active(name, kind, False)

    disable_limit.__doc__ = f"Make a {what} inactive: it blocks nothing until enabled."

    def delete_limit(name: str) -> None:
        from headwater.concurrency import limits

        limits.delete_limit(name, kind=kind)
        typer.echo(f"Deleted {what} {name!r}.")

    delete_limit.__doc__ = f"Delete a {what}; current holders keep running."

    for verb, command in (("ls", list_limits), ("inspect", inspect_limit), ("enable", enable_limit),
                          ("disable", disable_limit), ("delete", delete_limit)):
        if "name" in command.__annotations__:
            # NAME or TAG depending on the kind; a local cannot be named in a (string) annotation.
            command.__annotations__["name"] = argument
        app.command(verb)(command)


_register_shared(gcl_app, "global", GlobalName)
_register_shared(tag_app, "tag", TagName)


def _update(name: str, kind: LimitKind, limit: int | None, decay: float | None) -> None:
    from headwater.concurrency import limits
    from headwater.core.limits import ConcurrencyLimitError

    if limit is None and decay is None:
        options = "--limit" if kind == "tag" else "--limit and/or --slot-decay-per-second"
        raise ConcurrencyLimitError(f"nothing to update: give {options}")
    info = limits.update_limit(name, limit=limit, slot_decay_per_second=decay, kind=kind)
    typer.echo(f"Updated {info.kind} concurrency limit {name!r}: {_summary(info)}.")


def _set_active(name: str, kind: LimitKind, active: bool) -> None:
    from headwater.concurrency import limits

    info = limits.update_limit(name, active=active, kind=kind)
    typer.echo(f"{'Enabled' if active else 'Disabled'} {info.kind} concurrency limit {name!r}.")


def _create_hint(kind: LimitKind) -> str:
    return "headwater concurrency-limit create TAG N" if kind == "tag" else "headwater gcl create NAME --limit N"


def _in_use(info: ConcurrencyLimitInfo) -> str:
    from headwater.core.limits import slots_text

    return slots_text(info.slots_in_use, info.limit).removesuffix(" in use")


def _summary(info: ConcurrencyLimitInfo) -> str:
    parts = [f"limit {info.limit}"]
    if info.slot_decay_per_second:
        parts.append(f"{info.slot_decay_per_second:g} slot(s)/s decay")
    parts.append("active" if info.active else "inactive")
    return ", ".join(parts)


def _print_limit(info: ConcurrencyLimitInfo) -> None:
    from rich.table import Table

    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    rows = [
        ("Tag" if info.kind == "tag" else "Name", info.display_name),
        ("Kind", info.kind),
        ("Limit", str(info.limit)),
        ("In use", f"{_in_use(info)} ({info.leased_slots} held, {info.decaying_slots:.2f} decaying)"),
        ("Decay", f"{info.slot_decay_per_second:g} slot(s)/s"),
        ("Active", "yes" if info.active else "no"),
        ("Created", format_time(info.created)),
        ("Updated", format_time(info.updated)),
    ]
    for label, value in rows:
        summary.add_row(label, value)
    print_rich(summary)
    typer.echo()
    if not info.holders:
        typer.echo("No holders.")
        return
    table = Table(title=f"Holders ({len(info.holders)})", title_justify="left", box=None, header_style="bold",
                  pad_edge=False)
    for column in ("LEASE", "SLOTS", "PID", "HOST", "RUN", "EXPIRES"):
        table.add_column(column)
    for lease in info.holders:
        holder = lease.holder
        table.add_row(lease.lease_id[:8], str(lease.slots), str(holder.get("pid", "-")), str(holder.get("host", "-")),
                      str(holder.get("run_name") or "-"), format_time(lease.expires))
    print_rich(table)
