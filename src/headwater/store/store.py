"""`Store`: the run-history database, as one small repository per area.

A `Store` holds one `Database` (store/database.py: the engine and the one transaction
policy every read and write follows) and hands it to a repository per area; the
repositories never inherit from or call into each other except where one is handed
another explicitly (`Deployments` gets `Scheduling`):

- `store.flow_runs` (`FlowRuns`, flow_runs.py): flows and flow runs, states set
  through the API, cancel and retry;
- `store.history` (`History`, history.py): the engine's record batches, task runs,
  states, logs, a run's graph;
- `store.deployments` (`Deployments`, deployments.py): deployments and projects;
- `store.scheduling` (`Scheduling`, scheduling.py): runs scheduled ahead, catch-up,
  backfills;
- `store.workers` (`Workers`, workers.py): work pools, workers, claims, crashed runs;
- `store.limits` (`Limits`, limits.py): concurrency limits and their slots;
- `store.ui` (`UiQueries`, ui_queries.py): the web UI's cheap reads;
- `store.maintenance` (`Maintenance`, maintenance.py): the server's background services;
- `store.variables` (`Variables`, variables.py): named JSON values;
- `store.flow_run_input` (`FlowRunInputs`, flow_run_input.py): run input, pause and resume;
- `store.blocks` (`Blocks`, blocks.py): block types, schemas and documents;
- `store.artifacts` (`Artifacts`, artifacts.py): artifacts and each key's latest version;
- `store.assets` (`Assets`, assets.py): assets, their materializations and lineage;
- `store.ui_sessions` (`UiSessions`, ui_sessions.py): the web UI's login sessions.
- `store.background` (`BackgroundTasks`, background.py): background task runs and task workers.

The same class serves SQLite (the embedded default) and PostgreSQL; every failure of
the database reaches callers as one `StoreError` line naming the database, the cause
and what to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from headwater.exceptions import StoreError
from headwater.store.artifacts import Artifacts
from headwater.store.assets import Assets
from headwater.store.automations import Automations
from headwater.store.background import BackgroundTasks
from headwater.store.blocks import Blocks
from headwater.store.connect import (
    create_read_only_engine,
    create_store_engine,
    describe_error,
    mask_url,
    parse_url,
    read_only_reason,
)
from headwater.store.database import Database
from headwater.store.deployments import Deployments
from headwater.store.events import Events
from headwater.store.flow_run_input import FlowRunInputs
from headwater.store.flow_runs import FlowRuns
from headwater.store.history import History
from headwater.store.limits import Limits
from headwater.store.maintenance import Maintenance
from headwater.store.scheduling import Scheduling
from headwater.store.schema import HEAD_REVISION, ensure_schema, read_revision, recreate_schema
from headwater.store.ui_queries import UiQueries
from headwater.store.ui_sessions import UiSessions
from headwater.store.variables import Variables
from headwater.store.workers import Workers
from headwater.store.writes import PlanWriter

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from headwater.core.settings import Settings

__all__ = ["Store", "open_store"]

_SUPPORTED = ("sqlite", "postgresql")


class Store:
    """A run-history database: SQLite file or PostgreSQL, one repository per area.

    Open one with `Store.open(url)` (or `open_store(settings)`); it is safe to use from
    several threads. Close it when done.

    Attributes:
        url: the database URL, with any password shown as `***`.
        db: the database and its transaction policy.
        flow_runs, history, deployments, scheduling, workers, limits, ui, maintenance:
            the repositories (see the module docstring).

    Example:
        >>> store = Store.open("sqlite://")  # in memory; use a file path to keep it
        >>> store.history.counts()["flow_runs"] >= 0
        True
        >>> store.close()
    """

    url: str

    def __init__(self, db: Database) -> None:
        """Use `Store.open`; this only wires up a database whose schema is ready."""
        self.db = db
        self.url = db.url
        self.read_only_reason: str | None = None  # why, when it was opened read-only (`Store.open`)
        self._writer = PlanWriter(db.dialect)  # its flow-id cache serves history and flow runs
        self.flow_runs = FlowRuns(db, self._writer.flow_ids)
        self.history = History(db, self._writer)
        self.scheduling = Scheduling(db)
        self.deployments = Deployments(db, self.scheduling)
        self.workers = Workers(db)
        self.limits = Limits(db)
        self.ui = UiQueries(db)
        self.maintenance = Maintenance(db)
        self.variables = Variables(db)
        self.events = Events(db)
        self.artifacts = Artifacts(db, self.history.write)
        self.assets = Assets(db)
        self.blocks = Blocks(db)
        self.automations = Automations(db)
        self.ui_sessions = UiSessions(db)
        self.flow_run_input = FlowRunInputs(db)
        self.background = BackgroundTasks(db)


    @classmethod
    def open(cls, url: str, *, busy_timeout_seconds: float = 30.0) -> Store:
        """Open the database at `url`, creating or upgrading its schema as needed.

        Args:
            url: a SQLAlchemy URL: `sqlite:///path/to/file.db` or
                `postgresql+psycopg://user:password@host:5432/db`.
            busy_timeout_seconds: how long a SQLite writer waits for another one.

        Raises:
            StoreError: the database is corrupt, read-only, unreachable, or was written
                by a newer headwater.
        """
        parsed = parse_url(url)
        backend = parsed.get_backend_name()
        if backend not in _SUPPORTED:
            raise StoreError(
                f"cannot use the database {mask_url(parsed)}: headwater stores run history in SQLite or "
                "PostgreSQL (sqlite:///path or postgresql+psycopg://...). Fix HEADWATER_DATABASE_URL."
            )
        engine = create_store_engine(parsed, busy_timeout_seconds)
        db = Database(engine, parsed, busy_timeout_seconds)
        try:
            ensure_schema(db)
            return cls(db)
        except StoreError:
            engine.dispose()
            reason = read_only_reason(parsed)
            if reason is None:
                raise
            return cls._open_read_only(parsed, busy_timeout_seconds, reason)
        except (SQLAlchemyError, OSError) as exc:
            engine.dispose()
            raise describe_error(exc, parsed, busy_timeout_seconds) from None

    @classmethod
    def _open_read_only(cls, parsed: URL, busy_timeout_seconds: float, reason: str) -> Store:
        """A SQLite file that cannot be written but can be read (`headwater flow-run ls`
        on a read-only home): a store that reads it, and says why on the first write."""
        engine = create_read_only_engine(parsed)
        db = Database(engine, parsed, busy_timeout_seconds)
        try:
            revision = db.read(read_revision)
        except StoreError:
            engine.dispose()
            raise
        if revision != HEAD_REVISION:
            engine.dispose()
            raise StoreError(f"the run-history database {db.url} is read-only ({reason}) and its schema is "
                             f"{revision!r}, not {HEAD_REVISION!r}: it cannot be upgraded there. Make it writable "
                             "once, or point HEADWATER_HOME / HEADWATER_DATABASE_URL elsewhere.")
        store = cls(db)
        store.read_only_reason = reason
        return store

    def close(self) -> None:
        """Release the database connections. The store cannot be used afterwards."""
        self.db.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.url}>"

    def check_writable(self) -> None:
        """Fail now, with one clear error, if the database refuses writes (`Database.check_writable`).

        Raises:
            StoreError: the database is read-only or refuses writes.
        """
        if self.read_only_reason is not None:
            raise StoreError(f"the run-history database {self.url} is read-only ({self.read_only_reason}): its "
                             "history can be read but no run recorded. Make it writable, or point HEADWATER_HOME / "
                             "HEADWATER_DATABASE_URL at a writable place.")
        self.db.check_writable()

    def reset(self) -> None:
        """Delete all run history: drop every table and create the schema again."""
        recreate_schema(self.db)
        self._writer.flow_ids.clear()


def open_store(settings: Settings) -> Store:
    """Open the store the settings point at (`HEADWATER_DATABASE_URL` or the embedded file)."""
    store = Store.open(settings.database_url_resolved, busy_timeout_seconds=settings.sqlite_busy_timeout_seconds)
    # Runs whose process died are ended Crashed, spilled history written (store/recovery.py).
    from headwater.store.recovery import recover_quietly

    recover_quietly(store, settings)
    return store
