"""Bringing a database to the schema this code expects, quickly.

Opening a store is on every `python flow.py`'s path, and importing Alembic alone
costs about 0.4 s, so the common cases avoid it:

- an empty database gets `metadata.create_all` and the head revision written into
  `alembic_version` directly (the same table Alembic would write);
- a database at the head revision needs nothing: one small query;
- only a database at an *older* revision imports Alembic and runs `upgrade`;
- a database at a revision this code does not know was written by a newer headwater.

Creation runs in one write transaction that re-checks the version first, under
`BEGIN IMMEDIATE` on SQLite and a transaction-scoped advisory lock on PostgreSQL, so
processes racing to create a fresh database all succeed and create it once.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, inspect, select
from sqlalchemy.engine import Connection

from headwater.exceptions import StoreError
from headwater.store.tables import metadata

if TYPE_CHECKING:
    from headwater.store.database import Database

__all__ = ["HEAD_REVISION", "KNOWN_REVISIONS", "MIGRATIONS_DIR", "ensure_schema", "recreate_schema", "run_upgrade"]

KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011", "0012", "0013", "0014", "0015", "0016", "0017", "0018", "0019")
"""Every revision in `migrations/versions`, oldest first; a test keeps this in step."""

HEAD_REVISION = KNOWN_REVISIONS[-1]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# The table Alembic keeps its revision in, declared exactly as Alembic creates it.
alembic_version = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)

_PG_SCHEMA_LOCK = 7_346_829_113  # arbitrary key of headwater's schema advisory lock


def read_revision(conn: Connection) -> str | None:
    """Return the schema revision of the database, or None when it has no headwater schema."""
    if not inspect(conn).has_table(alembic_version.name):
        return None
    return conn.execute(select(alembic_version.c.version_num)).scalar()


def ensure_schema(db: Database) -> None:
    """Create or upgrade the schema as needed (see the module docstring).

    Raises:
        StoreError: the database was written by a newer headwater.
    """
    revision = db.read(read_revision)
    if revision == HEAD_REVISION:
        return
    _check_known(revision, db.url)
    db.write(lambda conn: _create_or_upgrade(conn, db.url))


def _check_known(revision: str | None, display_url: str) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise StoreError(
            f"the database {display_url} has schema revision {revision!r}, newer than this headwater knows "
            f"(latest {HEAD_REVISION!r}). Upgrade headwater (pip install -U headwater) or use another database."
        )


def _create_or_upgrade(conn: Connection, display_url: str) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_SCHEMA_LOCK})")
    revision = read_revision(conn)  # again: another process may have won the race
    if revision == HEAD_REVISION:
        return
    _check_known(revision, display_url)
    if revision is None:
        _create(conn)
    else:
        run_upgrade(conn)


def _create(conn: Connection) -> None:
    metadata.create_all(conn)
    alembic_version.create(conn, checkfirst=True)
    conn.execute(alembic_version.delete())
    conn.execute(alembic_version.insert().values(version_num=HEAD_REVISION))


def run_upgrade(conn: Connection, revision: str = "head") -> None:
    """Run the Alembic migrations on `conn` (inside its transaction) up to `revision`."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def recreate_schema(db: Database) -> None:
    """Drop every headwater table (and the revision) and create the schema again."""

    def recreate(conn: Connection) -> None:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_SCHEMA_LOCK})")
        metadata.drop_all(conn)
        alembic_version.drop(conn, checkfirst=True)
        _create(conn)

    db.write(recreate)
