"""The history writer's SQL, compiled once per dialect from the `Table` objects.

Planning a batch and writing it is in store/batches.py (no SQLAlchemy there, so the
embedded SQLite path can write without importing it); this module compiles the
statements that code runs, and `PlanWriter` runs them on a SQLAlchemy connection.
For SQLite, the compiled statements are also kept as text in
store/sqlite_statements.py, which `scripts/regen-sqlite-statements` writes and a
test keeps equal to what this module compiles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Double, Text, bindparam, func, literal_column, null, select, update
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.sql import ClauseElement

from headwater.store.batches import (
    COL_END,
    COL_HEARTBEAT,
    COL_ID,
    COL_RUN_COUNT,
    COL_START,
    COL_STATE_MESSAGE,
    COL_STATE_NAME,
    COL_STATE_TS,
    COL_STATE_TYPE,
    COL_UPDATED,
    BatchPlan,
    WriteStatements,
    plan_batch,
    write_plan,
)
from headwater.store.event_rows import EVENT_COLUMNS, EventRows
from headwater.store.tables import (
    artifact_collections,
    artifacts,
    asset_dependencies,
    asset_materializations,
    assets,
    deployments,
    events,
    flow_runs,
    flows,
    logs,
    state_marks,
    states,
    task_run_inputs,
    task_runs,
    work_pools,
)

__all__ = ["PlanWriter", "compile_positional", "compile_statements", "plan_batch", "positional_dialect"]

assert flow_runs.c.keys()[COL_STATE_TYPE : COL_RUN_COUNT + 1] == task_runs.c.keys()[COL_STATE_TYPE : COL_RUN_COUNT + 1]
assert flow_runs.c.keys()[COL_UPDATED] == task_runs.c.keys()[COL_UPDATED] == "updated"
assert flow_runs.c.keys()[COL_HEARTBEAT] == "heartbeat"


def positional_dialect(dialect: Dialect) -> Dialect:
    if dialect.positional:
        return dialect
    if not isinstance(dialect, DefaultDialect):  # every dialect SQLAlchemy ships is one
        raise TypeError(f"cannot make a positional copy of the {dialect.name} dialect: it is not a DefaultDialect")
    # psycopg also takes %s placeholders, so tuples can go straight to executemany.
    return type(dialect)(paramstyle="format")


def compile_positional(stmt: ClauseElement, dialect: Dialect, **kw: Any) -> tuple[str, list[str]]:
    compiled = stmt.compile(dialect=dialect, **kw)
    return compiled.string, list(getattr(compiled, "positiontup", None) or ())


def _state_update(table: Any, dialect: Dialect) -> tuple[str, tuple[int, ...]]:
    stmt = (
        update(table)
        .where(table.c.id == bindparam("p_id"))
        .values(
            state_type=bindparam("p_type"),
            state_name=bindparam("p_name"),
            state_message=bindparam("p_message"),
            state_timestamp=bindparam("p_ts"),
            start_time=func.coalesce(table.c.start_time, bindparam("p_start", type_=table.c.start_time.type)),
            run_count=table.c.run_count + bindparam("p_count", type_=table.c.run_count.type),
            end_time=bindparam("p_end"),
            updated=bindparam("p_updated"),
        )
    )
    sql, names = compile_positional(stmt, dialect)
    where = {
        "p_id": COL_ID, "p_type": COL_STATE_TYPE, "p_name": COL_STATE_NAME, "p_message": COL_STATE_MESSAGE,
        "p_ts": COL_STATE_TS, "p_start": COL_START, "p_count": COL_RUN_COUNT, "p_end": COL_END, "p_updated": COL_UPDATED,
    }  # fmt: skip
    return sql, tuple(where[name] for name in names)


def compile_statements(dialect: Dialect) -> WriteStatements:
    """The statements `write_plan` runs, for `dialect` with positional placeholders."""
    insert: Any
    if dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    positional = positional_dialect(dialect)

    def insert_ignoring_existing(table: Any, width: int | None = None) -> str:
        # Columns past `width` are never set by records (cache_key, deployment_id).
        columns = table.c.keys()[:width]
        sql, names = compile_positional(insert(table).on_conflict_do_nothing(), positional, column_keys=columns)
        assert names == columns, (names, columns)
        return sql

    def append(table: Any) -> str:
        columns = [c.name for c in table.columns if c.name != "id"]
        sql, names = compile_positional(table.insert(), positional, column_keys=columns)
        assert names == columns, (names, columns)
        return sql

    def checked(stmt: ClauseElement, expected: list[str]) -> str:
        sql, names = compile_positional(stmt, positional)
        assert names == expected, names
        return sql

    assert tuple(events.c.keys()) == EVENT_COLUMNS
    update_flow_runs, flow_update_order = _state_update(flow_runs, positional)
    update_task_runs, task_update_order = _state_update(task_runs, positional)
    return WriteStatements(
        insert_flows=insert_ignoring_existing(flows),
        select_flow=checked(select(flows.c.name, flows.c.id).where(flows.c.name == bindparam("p_name")),
                            ["p_name"]),
        insert_flow_runs=insert_ignoring_existing(flow_runs, COL_HEARTBEAT + 1),
        insert_task_runs=insert_ignoring_existing(task_runs, COL_UPDATED + 1),
        insert_inputs=insert_ignoring_existing(task_run_inputs),
        insert_states=append(states),
        insert_logs=append(logs),
        insert_plain_task_states=checked(
            states.insert().values(
                flow_run_id=null(),
                task_run_id=bindparam("p_id"),
                type=bindparam("p_type"),
                name=bindparam("p_name"),
                message=null(),
                timestamp=bindparam("p_ts"),
                details=null(),
            ),
            ["p_id", "p_type", "p_name", "p_ts"],
        ),
        update_flow_runs=update_flow_runs,
        flow_update_order=flow_update_order,
        update_task_runs=update_task_runs,
        task_update_order=task_update_order,
        update_heartbeat=checked(
            update(flow_runs).where(flow_runs.c.id == bindparam("p_id")).values(heartbeat=bindparam("p_hb")),
            ["p_hb", "p_id"],
        ),
        update_process=checked(
            update(flow_runs).where(flow_runs.c.id == bindparam("p_id")).values(process=bindparam("p_process")),
            ["p_process", "p_id"],
        ),
        insert_artifacts=insert_ignoring_existing(artifacts),
        update_artifacts=checked(
            update(artifacts).where(artifacts.c.id == bindparam("p_id")).values(
                data=bindparam("p_data", type_=artifacts.c.data.type),
                description=func.coalesce(bindparam("p_description", type_=Text()), artifacts.c.description),
                updated=bindparam("p_updated"),
            ),
            ["p_description", "p_data", "p_updated", "p_id"],
        ),
        upsert_artifact_collections=_collection_upsert(insert, positional),
        insert_events=insert_ignoring_existing(events),
        select_flow_run_context=checked(
            select(flow_runs.c.id, flow_runs.c.name, flow_runs.c.flow_id, flow_runs.c.flow_name, flow_runs.c.tags,
                   flow_runs.c.deployment_id, deployments.c.name, flow_runs.c.work_pool_id, work_pools.c.name,
                   work_pools.c.type, flow_runs.c.parent_task_run_id)
            .select_from(flow_runs.outerjoin(deployments, deployments.c.id == flow_runs.c.deployment_id)
                         .outerjoin(work_pools, work_pools.c.id == flow_runs.c.work_pool_id))
            .where(flow_runs.c.id == bindparam("p_id")),
            ["p_id"],
        ),
        insert_state_mark=checked(
            state_marks.insert().from_select(
                ["at", "state_id"], select(bindparam("p_at", type_=Double()), func.coalesce(func.max(states.c.id), literal_column("0")))),
            ["p_at"],
        ),
        select_artifact_collection=checked(
            select(artifact_collections.c.id, artifact_collections.c.created)
            .where(artifact_collections.c.key == bindparam("p_key")),
            ["p_key"],
        ),
        insert_asset_materializations=insert_ignoring_existing(asset_materializations),
        upsert_assets=_asset_upsert(insert, positional, with_properties=True),
        touch_assets=_asset_upsert(insert, positional, with_properties=False),
        insert_asset_dependencies=insert_ignoring_existing(asset_dependencies),
    )


def _asset_upsert(insert: Any, dialect: Dialect, *, with_properties: bool) -> str:
    # An asset's `updated` (last seen) and properties move forward only: a batch
    # re-sent late does not bring old properties back.
    stmt = insert(assets)
    changes: dict[str, Any] = {"updated": stmt.excluded.updated}
    if with_properties:
        changes["properties"] = stmt.excluded.properties
    stmt = stmt.on_conflict_do_update(index_elements=[assets.c.key], set_=changes,
                                      where=assets.c.updated <= stmt.excluded.updated)
    columns = assets.c.keys()
    sql, names = compile_positional(stmt, dialect, column_keys=columns)
    assert names == columns, (names, columns)
    return sql


def _collection_upsert(insert: Any, dialect: Dialect) -> str:
    # A key's latest version moves forward only: a batch re-sent late does not move it back.
    stmt = insert(artifact_collections)
    stmt = stmt.on_conflict_do_update(
        index_elements=[artifact_collections.c.key],
        set_={"latest_id": stmt.excluded.latest_id, "updated": stmt.excluded.updated},
        where=artifact_collections.c.updated <= stmt.excluded.updated,
    )
    columns = artifact_collections.c.keys()
    sql, names = compile_positional(stmt, dialect, column_keys=columns)
    assert names == columns, (names, columns)
    return sql


class PlanWriter:
    """Writes planned batches on SQLAlchemy connections of one dialect; remembers flow ids by name."""

    def __init__(self, dialect: Dialect) -> None:
        self.statements = compile_statements(dialect)
        self.flow_ids: dict[str, str] = {}
        self.events = EventRows()

    def execute(self, conn: Connection, plan: BatchPlan) -> dict[str, str]:
        """Write `plan` on `conn` (inside the caller's transaction).

        Returns:
            flow ids by name resolved here; the caller caches them once committed.
        """
        run = conn.exec_driver_sql
        return write_plan(self.statements, plan, run, lambda sql, params: run(sql, params).fetchall(),
                          self.flow_ids, self.events)


def sqlite_schema_ddl() -> tuple[str, ...]:
    """The statements that create the schema on SQLite, as `Store.open` creates it
    (`metadata.create_all`, then Alembic's version table), in order."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from headwater.store.schema import alembic_version
    from headwater.store.tables import metadata

    dialect = sqlite.dialect()
    ddl: list[str] = []
    for table in [*metadata.sorted_tables, alembic_version]:
        ddl.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        for index in sorted(table.indexes, key=lambda index: str(index.name)):
            ddl.append(str(CreateIndex(index).compile(dialect=dialect)).strip())
    return tuple(ddl)


def render_sqlite_statements() -> str:
    """The text of store/sqlite_statements.py for the current tables and schema revision."""
    from sqlalchemy.dialects import sqlite

    from headwater.store.schema import HEAD_REVISION

    statements = compile_statements(sqlite.dialect())
    fields = "\n".join(f"    {name}={value!r}," for name, value in statements._asdict().items())
    ddl = "\n".join(f"    {statement!r}," for statement in sqlite_schema_ddl())
    return (
        '"""The history writer\'s SQL for SQLite, as text: generated by `scripts/regen-sqlite-statements`.\n\n'
        "Do not edit: a test checks that this equals what store/writes.py compiles from the tables,\n"
        "and the embedded SQLite path (store/sqlite_sink.py) uses it so as not to import SQLAlchemy.\n"
        '"""\n\n'
        "from headwater.store.batches import WriteStatements\n\n"
        f"HEAD_REVISION = {HEAD_REVISION!r}\n"
        '"""The schema revision these statements are for."""\n\n'
        f"STATEMENTS = WriteStatements(\n{fields}\n)\n\n"
        f"SCHEMA = (\n{ddl}\n)\n"
        '"""CREATE TABLE and CREATE INDEX statements of a new database at HEAD_REVISION."""\n'
    )


def write_sqlite_statements() -> Path:
    """Write store/sqlite_statements.py anew (after a change to the tables or a migration)."""
    target = Path(__file__).with_name("sqlite_statements.py")
    target.write_text(render_sqlite_statements())
    return target
