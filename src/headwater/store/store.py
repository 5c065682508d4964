"""`Store`: the run-history database behind one narrow interface.

The engine writes batches of records through `Store.write`; the CLI, the server and
the UI read models from `headwater.core.schemas`. The same class serves SQLite (the
embedded default) and PostgreSQL; every failure of the database reaches callers as
one `StoreError` line naming the database, the cause and what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from headwater.core.schemas import FlowRunInfo, LogInfo, StateInfo, TaskRunInfo
from headwater.exceptions import StoreError
from headwater.store import reads
from headwater.store.connect import create_store_engine, describe_error, mask_url, parse_url
from headwater.store.database import Database
from headwater.store.api_history import HistoryApiMixin
from headwater.store.api_queries import RunsApiMixin
from headwater.store.deployments import DeploymentsMixin
from headwater.store.limits import LimitsMixin
from headwater.store.ui_queries import UiQueriesMixin
from headwater.store.schema import ensure_schema, recreate_schema
from headwater.store.writes import BatchWriter, plan_batch

if TYPE_CHECKING:

    from headwater.core.settings import Settings
    from headwater.orchestrator.records import Record

__all__ = ["Store", "open_store"]

T = TypeVar("T")

_SUPPORTED = ("sqlite", "postgresql")


class Store(LimitsMixin, RunsApiMixin, HistoryApiMixin, UiQueriesMixin, DeploymentsMixin):
    """A run-history database: SQLite file or PostgreSQL.

    Open one with `Store.open(url)` (or `open_store(settings)`); it is safe to use from
    several threads. Close it when done.

    Attributes:
        url: the database URL, with any password shown as `***`.

    Example:
        >>> store = Store.open("sqlite://")  # in memory; use a file path to keep it
        >>> store.counts()["flow_runs"] >= 0
        True
        >>> store.close()
    """

    url: str

    def __init__(self, db: Database) -> None:
        """Use `Store.open`; this only wires up a database whose schema is ready."""
        self.db = db
        self._writer = BatchWriter(db.dialect)
        self.url = db.url

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
            raise
        except (SQLAlchemyError, OSError) as exc:
            engine.dispose()
            raise describe_error(exc, parsed, busy_timeout_seconds) from None

    def close(self) -> None:
        """Release the database connections. The store cannot be used afterwards."""
        self.db.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.url}>"

    def _read(self, query: Callable[[Connection], T]) -> T:
        return self.db.read(query)

    def _transact(self, action: Callable[[Connection], T]) -> T:
        return self.db.write(action)

    def write(self, records: Sequence[Record]) -> None:
        """Write a batch of engine records in one transaction (see `store/writes.py`).

        Raises:
            StoreError: the database refused the batch (nothing of it was written).
        """
        if not records:
            return
        plan = plan_batch(records)
        writer = self._writer

        resolved = self.db.write(lambda conn: writer.execute(conn, plan))
        if resolved:
            writer.flow_ids.update(resolved)

    def check_writable(self) -> None:
        """Fail now, with one clear error, if the database refuses writes.

        For a writer that would otherwise find out at its first batch, in a background
        thread. (On SQLite, opening a read-only file that another process holds open
        succeeds, and so does BEGIN: only a write statement tells.)

        Raises:
            StoreError: the database is read-only or refuses writes.
        """
        self.db.check_writable()

    def list_flow_runs(
        self,
        *,
        state_types: Sequence[str] | None = None,
        flow_name: str | None = None,
        limit: int = 50,
        offset: int = 0,
        newest_first: bool = True,
    ) -> list[FlowRunInfo]:
        """List flow runs by creation time, optionally only some state types or one flow."""
        return self._read(
            lambda conn: reads.list_flow_runs(
                conn,
                state_types=state_types,
                flow_name=flow_name,
                limit=limit,
                offset=offset,
                newest_first=newest_first,
            )
        )

    def read_flow_run(self, ref: str) -> FlowRunInfo:
        """Read a flow run by full id, unique id prefix (>= 4 characters) or name (newest).

        Raises:
            ObjectNotFound: nothing matches `ref`, or the prefix is ambiguous.
        """
        return self._read(lambda conn: reads.find_flow_run(conn, ref))

    def read_task_runs(self, flow_run_id: str) -> list[TaskRunInfo]:
        """The task runs of a flow run, oldest first, each with its upstream task run ids."""
        return self._read(lambda conn: reads.read_task_runs(conn, flow_run_id))

    def read_task_run(self, task_run_id: str) -> TaskRunInfo:
        """Read one task run by id.

        Raises:
            ObjectNotFound: no task run has this id.
        """
        return self._read(lambda conn: reads.read_task_run(conn, task_run_id))

    def read_states(self, run_id: str) -> list[StateInfo]:
        """Every state a flow run or task run went through, oldest first."""
        return self._read(lambda conn: reads.read_states(conn, run_id))

    def read_logs(
        self,
        *,
        flow_run_id: str | None = None,
        task_run_id: str | None = None,
        min_level: int = 0,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[LogInfo]:
        """Log lines of a flow run and/or task run at `min_level` or above, oldest first."""
        return self._read(
            lambda conn: reads.read_logs(
                conn,
                flow_run_id=flow_run_id,
                task_run_id=task_run_id,
                min_level=min_level,
                limit=limit,
                offset=offset,
            )
        )

    def counts(self) -> dict[str, int]:
        """Row counts: flow_runs, task_runs, states, logs, task_run_inputs."""
        return self._read(reads.count_rows)

    def reset(self) -> None:
        """Delete all run history: drop every table and create the schema again."""
        recreate_schema(self.db)
        self._writer.flow_ids.clear()


def open_store(settings: Settings) -> Store:
    """Open the store the settings point at (`HEADWATER_DATABASE_URL` or the embedded file)."""
    return Store.open(settings.database_url_resolved, busy_timeout_seconds=settings.sqlite_busy_timeout_seconds)
