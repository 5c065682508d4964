"""The Alembic tree and `store/tables/` describe the same schema; opening stays fast."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine

from headwater.store import Store, schema
from headwater.store.tables import metadata


def _snapshot(engine: Engine) -> dict[str, Any]:
    inspector = inspect(engine)
    tables: dict[str, Any] = {}
    for name in sorted(inspector.get_table_names()):
        tables[name] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], bool(c.get("autoincrement") is True))
                for c in inspector.get_columns(name)
            ],
            "pk": inspector.get_pk_constraint(name)["constrained_columns"],
            "indexes": sorted(
                (
                    ix["name"],
                    tuple(ix["column_names"]),
                    bool(ix["unique"]),
                    sorted((k, str(v)) for k, v in (ix.get("dialect_options") or {}).items()),
                )
                for ix in inspector.get_indexes(name)
            ),
            "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(name)),
            "fks": sorted(
                (tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]))
                for fk in inspector.get_foreign_keys(name)
            ),
        }
    return tables


def test_migrations_build_the_same_schema_as_the_tables(store_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(store_url)
    try:
        with engine.begin() as conn:
            schema.run_upgrade(conn)
        migrated = _snapshot(engine)
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
            assert schema.read_revision(conn) == schema.HEAD_REVISION
        with engine.begin() as conn:
            metadata.drop_all(conn)
            schema.alembic_version.drop(conn)
        Store.open(store_url).close()  # the fast path: create_all + revision
        assert _snapshot(engine) == migrated
        assert set(migrated) == {*metadata.tables, "alembic_version"}
    finally:
        engine.dispose()


def test_a_database_created_by_alembic_opens_as_current(store_url: str) -> None:
    engine = create_engine(store_url)
    with engine.begin() as conn:
        schema.run_upgrade(conn)
    engine.dispose()
    store = Store.open(store_url)
    assert store.history.counts()["flow_runs"] == 0
    store.close()


def test_known_revisions_match_the_migration_tree() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(config)
    ordered = [rev.revision for rev in scripts.walk_revisions()][::-1]
    assert tuple(ordered) == schema.KNOWN_REVISIONS
    assert scripts.get_current_head() == schema.HEAD_REVISION
    assert (schema.MIGRATIONS_DIR / "script.py.mako").is_file()


def test_opening_a_new_or_current_database_does_not_import_alembic(sqlite_url: str) -> None:
    code = (
        "import sys\n"
        "from headwater.store import Store\n"
        f"Store.open({sqlite_url!r}).close()\n"
        f"Store.open({sqlite_url!r}).close()\n"
        "assert 'alembic' not in sys.modules, 'alembic was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
