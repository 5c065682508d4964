"""`headwater database upgrade|reset|recover`: manage the run-history database."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from headwater.cli._output import mask_url

if TYPE_CHECKING:
    from headwater.core.settings import Settings

__all__ = ["app", "recover_database", "reset_database", "upgrade_database"]

app = typer.Typer(name="database", help="Manage the run-history database.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_database() -> None:
    """Create the run-history database, or migrate it to this version's schema."""
    from headwater.cli._control import open_database
    from headwater.store.schema import HEAD_REVISION

    # Opening the store creates the schema or applies any pending migrations.
    with open_database() as store:
        typer.echo(f"Database {store.url} is up to date (schema revision {HEAD_REVISION}).")


@app.command("recover")
def recover_database() -> None:
    """Write history that earlier processes could not (kept in HEADWATER_HOME/spill), and
    end Crashed the runs whose process is gone.

    Every headwater process opening the database does both on its own; this says what it did.
    """
    from headwater.core.settings import get_settings
    from headwater.exceptions import ConfigurationError
    from headwater.store import Store
    from headwater.store.recovery import recover_history

    settings = get_settings()
    if settings.api_url:
        raise ConfigurationError(
            f"HEADWATER_API_URL is set ({settings.api_url}): this command works on a database directly. Unset "
            "HEADWATER_API_URL and point HEADWATER_DATABASE_URL / HEADWATER_HOME at the server's database.")
    # Store.open, not open_store: that one would recover quietly before this could report.
    with Store.open(settings.database_url_resolved,
                    busy_timeout_seconds=settings.sqlite_busy_timeout_seconds) as store:
        done = recover_history(store, settings)
        url = store.url
    files = "".join(f"\n  {path}" for path in done.files)
    typer.echo(f"Wrote {done.records} spilled history record(s) from {len(done.files)} file(s) into {url}.{files}")
    typer.echo(f"Ended {len(done.crashed)} flow run(s) Crashed whose process was gone."
               + "".join(f"\n  {run_id}" for run_id in done.crashed))


@app.command("reset")
def reset_database(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete all run history: flow runs, task runs, states and logs.

    Asks for confirmation unless `--yes` is given. A corrupt SQLite file, which cannot
    be opened to be emptied, is moved aside (renamed with a `.corrupt-<time>` suffix)
    and a new database created; a locked or read-only one is left alone.
    """
    from headwater.cli._control import open_database
    from headwater.core.settings import get_settings
    from headwater.exceptions import StoreError

    settings = get_settings()
    url = mask_url(settings.database_url_resolved)
    if not yes:
        typer.confirm(f"Delete all run history in {url}?", abort=True)
    try:
        with open_database() as store:
            before = store.history.counts()
            store.reset()
        typer.echo(
            f"Reset the run history in {url}: deleted {before.get('flow_runs', 0)} flow runs, "
            f"{before.get('task_runs', 0)} task runs and {before.get('logs', 0)} log lines."
        )
    except StoreError as exc:
        try:
            moved = _move_aside_unusable_sqlite(settings)
        except OSError:
            moved = None
        if moved is None:
            raise exc from None
        with open_database():
            pass
        typer.echo(f"Moved the unusable database file to {moved}; started a new run history in {url}.")


def _move_aside_unusable_sqlite(settings: Settings) -> Path | None:
    """Rename a corrupt SQLite database file (and its WAL files) out of the way; None
    when the database is not a SQLite file or the file is not corrupt.

    A sound SQLite file that fails for another reason (locked, read-only) is left alone.
    """
    url = settings.database_url_resolved
    if not url.startswith("sqlite:///"):
        return None
    path = Path(url[len("sqlite:///") :]).expanduser()
    if not path.is_file() or not _is_corrupt_sqlite(path):
        return None
    target = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    return target


def _is_corrupt_sqlite(path: Path) -> bool:
    import sqlite3

    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            result = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.OperationalError:
        # Locked or unreadable: a problem of access, not of the file's contents.
        return False
    except sqlite3.DatabaseError:
        # "file is not a database", "database disk image is malformed".
        return True
    return result != [("ok",)]
