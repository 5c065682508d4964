"""Alembic environment for headwater's run-history schema.

Configured from code, no alembic.ini: `headwater.store.schema.run_upgrade` passes an
open connection in `config.attributes["connection"]` and the migrations run inside
its transaction. For hand use, a URL can be given as `sqlalchemy.url` instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from headwater.store.tables import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set sqlalchemy.url, or pass a connection in config.attributes['connection']")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("headwater migrations run online only: pass a connection or sqlalchemy.url")
run_migrations_online()
