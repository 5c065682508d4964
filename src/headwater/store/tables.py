"""The run-history schema, as SQLAlchemy Core tables.

Timestamps are float epoch seconds (`Double`) everywhere, not `DateTime`: the engine
produces floats (`headwater.core.clock.now()`), they cost nothing to write, sort
and compare the same way on SQLite and PostgreSQL, and carry no time-zone ambiguity.
Readers turn them into aware UTC datetimes.

The column order of `flow_runs` and `task_runs` is deliberate: the state columns sit
at the same positions (7 to 13, `updated` at 15) in both, so the batch writer folds
state changes into either kind of row with the same code (see `store/writes.py`).

Any change here needs a new migration in `store/migrations/versions/`; a test
checks that the migrations and these tables describe the same schema.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "concurrency_leases",
    "concurrency_limits",
    "deployment_schedules",
    "deployments",
    "flow_runs",
    "flows",
    "logs",
    "metadata",
    "projects",
    "received_batches",
    "states",
    "task_run_inputs",
    "task_runs",
    "work_pools",
    "workers",
]

# Explicit constraint names keep migrations and create_all identical on both databases.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(36)
# 64-bit on PostgreSQL (logs outgrow 2**31); SQLite needs plain INTEGER for a rowid key.
SERIAL_ID = BigInteger().with_variant(Integer, "sqlite")

flows = Table(
    "flows",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("created", Double, nullable=False),
)

flow_runs = Table(
    "flow_runs",
    metadata,
    Column("id", ID, primary_key=True),
    Column("flow_id", ID, ForeignKey("flows.id"), nullable=False),
    Column("flow_name", String(255), nullable=False),
    Column("name", String(255), nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("parent_task_run_id", ID, nullable=True),
    Column("state_type", String(16), nullable=True),
    Column("state_name", String(64), nullable=True),
    Column("state_message", Text, nullable=True),
    Column("state_timestamp", Double, nullable=True),
    Column("start_time", Double, nullable=True),
    Column("end_time", Double, nullable=True),
    Column("run_count", Integer, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Column("heartbeat", Double, nullable=True),
    Column("deployment_id", ID, nullable=True),
    Column("expected_start_time", Double, nullable=True),  # when a SCHEDULED run is due (0003)
    # Deployments (0004, store/deployments.py): the pool whose workers run it, the worker
    # that claimed it, and the due time the claim was for (a new due time = claimable again).
    Column("work_pool_id", ID, nullable=True),
    Column("worker_id", ID, nullable=True),
    Column("claimed_start", Double, nullable=True),
    # 0015: the job variables given for this run (over its deployment's; worker/types).
    Column("job_variables", JSON, nullable=True),
    # The process running it, "host:pid:start ticks" (0017, store/processes.py): a run
    # whose process is gone is found Crashed by the next process opening the database.
    Column("process", String(255), nullable=True),
    Index(None, "state_type", "created"),
    Index(None, "flow_name", "created"),
    Index(None, "name"),
    Index(None, "created"),
)

task_runs = Table(
    "task_runs",
    metadata,
    Column("id", ID, primary_key=True),
    Column("flow_run_id", ID, nullable=True),
    Column("name", String(255), nullable=False),
    Column("task_name", String(255), nullable=False),
    Column("task_key", String(255), nullable=False),
    Column("dynamic_key", Integer, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("state_type", String(16), nullable=True),
    Column("state_name", String(64), nullable=True),
    Column("state_message", Text, nullable=True),
    Column("state_timestamp", Double, nullable=True),
    Column("start_time", Double, nullable=True),
    Column("end_time", Double, nullable=True),
    Column("run_count", Integer, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Column("cache_key", String(255), nullable=True),
    Index(None, "flow_run_id", "created"),
)

# A state row names either a flow run or a task run. On SQLite the indexes are partial
# so the many task-run states do not pay for an index entry on a NULL flow_run_id (the
# hot write path). Not on PostgreSQL: a `postgresql_where` here would import the whole
# PostgreSQL dialect at startup, 60 ms of every `python flow.py`.
states = Table(
    "states",
    metadata,
    Column("id", SERIAL_ID, primary_key=True, autoincrement=True),
    Column("flow_run_id", ID, nullable=True),
    Column("task_run_id", ID, nullable=True),
    Column("type", String(16), nullable=False),
    Column("name", String(64), nullable=False),
    Column("message", Text, nullable=True),
    Column("timestamp", Double, nullable=False),
    Column("details", JSON, nullable=True),
)
# Subflows of a run's task runs (its page, the graph): few rows carry a parent, so the
# index holds only those and costs nothing to the runs the engine writes (0006).
Index(
    "ix_flow_runs_parent_task_run_id",
    flow_runs.c.parent_task_run_id,
    sqlite_where=flow_runs.c.parent_task_run_id.isnot(None),
    postgresql_where=flow_runs.c.parent_task_run_id.isnot(None),
)
Index(
    "ix_states_flow_run_id",
    states.c.flow_run_id,
    sqlite_where=states.c.flow_run_id.isnot(None),
)
Index(
    "ix_states_task_run_id",
    states.c.task_run_id,
    sqlite_where=states.c.task_run_id.isnot(None),
)

logs = Table(
    "logs",
    metadata,
    Column("id", SERIAL_ID, primary_key=True, autoincrement=True),
    Column("flow_run_id", ID, nullable=True),
    Column("task_run_id", ID, nullable=True),
    Column("level", Integer, nullable=False),
    Column("logger", String(255), nullable=False),
    Column("message", Text, nullable=False),
    Column("timestamp", Double, nullable=False),
    Index(None, "flow_run_id", "timestamp"),
)
Index(
    "ix_logs_task_run_id",
    logs.c.task_run_id,
    sqlite_where=logs.c.task_run_id.isnot(None),
)

task_run_inputs = Table(
    "task_run_inputs",
    metadata,
    Column("task_run_id", ID, nullable=False),
    Column("upstream_task_run_id", ID, nullable=False),
    Column("parameter", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    PrimaryKeyConstraint("task_run_id", "upstream_task_run_id", "parameter"),
)

# Concurrency limits (store/limits.py). A limit is keyed by `name`: the global limit's
# name, or `tag:<tag>` for a tag limit. Slots in use = the slots of unexpired leases
# + the rate-limit slots still decaying, kept as an "occupancy at a time" pair
# (`decaying_slots` as of `decay_updated`) so decay needs no background ticker.
concurrency_limits = Table(
    "concurrency_limits",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("kind", String(8), nullable=False),
    Column("limit", Integer, nullable=False),
    Column("slot_decay_per_second", Double, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("decaying_slots", Double, nullable=False),
    Column("decay_updated", Double, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)

# One row per limit a lease holds slots of; a lease over several limits has one row
# for each, sharing the id. `holder` says who holds it (pid, host, run id).
concurrency_leases = Table(
    "concurrency_leases",
    metadata,
    Column("id", ID, nullable=False),
    Column("limit_name", String(255), nullable=False),
    Column("slots", Integer, nullable=False),
    Column("holder", JSON, nullable=False),
    Column("expires", Double, nullable=False),
    Column("created", Double, nullable=False),
    PrimaryKeyConstraint("id", "limit_name"),
    Index(None, "limit_name", "expires"),
)

# Ids of the record batches the server has written (server/api/records.py): a batch
# the engine re-sends after a lost reply is recognised and not written twice. Rows
# older than a day are pruned by the retention service.
received_batches = Table(
    "received_batches",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("received", Double, nullable=False),
    Index(None, "received"),
)

# -- deployments, projects, work pools, workers (0004, store/deployments.py) ------------

projects = Table(
    "projects",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("description", Text, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)

work_pools = Table(
    "work_pools",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("type", String(32), nullable=False),
    Column("description", Text, nullable=True),
    Column("concurrency_limit", Integer, nullable=True),
    Column("paused", Boolean, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    # 0015: the pool type's job template (None: the type's default; core/job_templates.py).
    Column("base_job_template", JSON, nullable=True),
    # 0020: Prefect's WorkPoolStorageConfiguration as JSON (None: nothing configured).
    Column("storage_configuration", JSON, nullable=True),
)

# A deployment is named within its flow ("flow/deployment"). `work_pool_id` is None for
# a deployment served by `flow.serve()`; `last_polled` is when its serving process (or a
# worker of its pool) last asked for runs. `catchup`: what happens to runs later than
# the late threshold: "all" run, "latest" only the newest runs, "skip" none.
deployments = Table(
    "deployments",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("flow_name", String(255), nullable=False),
    Column("project_id", ID, ForeignKey("projects.id"), nullable=False),
    Column("work_pool_id", ID, ForeignKey("work_pools.id"), nullable=True),
    Column("entrypoint", Text, nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("parameter_schema", JSON, nullable=True),
    Column("tags", JSON, nullable=False),
    Column("description", Text, nullable=True),
    Column("version", String(255), nullable=True),
    Column("paused", Boolean, nullable=False),
    Column("concurrency_limit", Integer, nullable=True),
    Column("catchup", String(16), nullable=False),
    Column("last_polled", Double, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    # 0005: the flow's retry policy, applied when a run's process dies (None: no retries;
    # `retry_delay_seconds` a list of delays, the last repeating), and a Prefect 1 style
    # flow's static graph (`StaticGraph`), drawn by the UI before any run.
    Column("retries", Integer, nullable=True),
    Column("retry_delay_seconds", JSON, nullable=True),
    Column("static_graph", JSON, nullable=True),
    # 0015: job variables over the pool's template defaults, and the steps that fetch the
    # flow's code before each run (git_clone, set_working_directory, ...; None: none).
    Column("job_variables", JSON, nullable=True),
    Column("pull_steps", JSON, nullable=True),
    # 0018: the collision strategy of `concurrency_limit` (ConcurrencyOptions; None: ENQUEUE).
    Column("concurrency_options", JSON, nullable=True),
    Index(None, "flow_name", "name", unique=True),
)

# `schedule` is the `to_dict()` form of a headwater.core.schedules schedule;
# `scheduled_through` is the last instant the scheduler has created runs up to.
deployment_schedules = Table(
    "deployment_schedules",
    metadata,
    Column("id", ID, primary_key=True),
    Column("deployment_id", ID, ForeignKey("deployments.id"), nullable=False),
    Column("schedule", JSON, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("scheduled_through", Double, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Index(None, "deployment_id"),
)

workers = Table(
    "workers",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("work_pool_id", ID, ForeignKey("work_pools.id"), nullable=False),
    Column("limit", Integer, nullable=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started", Double, nullable=False),
    Column("last_heartbeat", Double, nullable=False),
    Index(None, "work_pool_id", "name", unique=True),
)

# What workers poll for: the due runs of a pool, and the active runs of a deployment.
Index("ix_flow_runs_work_pool_id_state_type", flow_runs.c.work_pool_id, flow_runs.c.state_type,
      flow_runs.c.expected_start_time)
Index("ix_flow_runs_deployment_id_state_type", flow_runs.c.deployment_id, flow_runs.c.state_type)

# 0007: variables, named JSON values (`store/variables.py`). `value` holds any JSON
# (None is stored as JSON null); its size is bounded by the operation (`variable_max_bytes`).
variables = Table(
    "variables",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("value", JSON, nullable=True),
    Column("tags", JSON, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)
__all__ += ["variables"]

# 0011: events (`store/events.py`), in Prefect 3's shape, but for those of state
# changes, which are read from `states` (store/state_events.py). `resource`, `related` and
# `payload` are JSON kept as text: `related` is written with each resource's id first
# and its role second (store/event_rows.py), so a filter on related resources is a
# LIKE on that text on SQLite and PostgreSQL alike. `received` orders what readers
# following new events see (store/events.py `read_new`).
events = Table(
    "events",
    metadata,
    Column("id", ID, primary_key=True),
    Column("occurred", Double, nullable=False),
    Column("event", String(1024), nullable=False),
    Column("resource_id", String(1024), nullable=False),
    Column("resource", Text, nullable=False),
    Column("related", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("follows", ID, nullable=True),
    Column("received", Double, nullable=False),
    Index(None, "occurred"),
    Index(None, "resource_id", "occurred"),
    Index(None, "received"),
)
__all__ += ["events"]
# 0011: where the events of state changes are found by time without an index on
# `states.timestamp` (which would cost every state row): the history writer adds one row
# here per flush with states, at most one a second, saying "at `at`, the highest state
# id was `state_id`"; store/state_events.py turns a time range into a range of state ids.
state_marks = Table(
    "state_marks",
    metadata,
    Column("id", SERIAL_ID, primary_key=True, autoincrement=True),
    Column("at", Double, nullable=False),
    Column("state_id", BigInteger, nullable=False),
    Index(None, "at"),
)
__all__ += ["state_marks"]

# 0012: automations (`store/automations.py`). An automation is stored as its JSON
# document (trigger and actions in Prefect's shape) beside the columns filters use.
# `automation_actions` records every action an automation took, keyed by the
# automation, the firing (the triggering event's id) and the action's position: the one
# unique key that makes a restarted server, or a second server on the same database,
# skip an action already taken (insert-or-skip). `automation_cursor` keeps how far the
# trigger service has read the events, so a restart reads on from there.
automations = Table(
    "automations",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("owner_resource", String(1024), nullable=True),
    Column("document", Text, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Index(None, "name"),
    Index(None, "owner_resource"),
)
automation_actions = Table(
    "automation_actions",
    metadata,
    Column("id", ID, primary_key=True),
    Column("automation_id", ID, nullable=False),
    Column("firing_key", String(255), nullable=False),
    Column("action_index", Integer, nullable=False),
    Column("action_type", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("detail", Text, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    UniqueConstraint("automation_id", "firing_key", "action_index", name="uq_automation_actions_firing"),
    Index(None, "automation_id", "created"),
)
automation_cursor = Table(
    "automation_cursor",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("received", Double, nullable=False),
    Column("state_id", BigInteger, nullable=False),
)
__all__ += ["automation_actions", "automation_cursor", "automations"]
# 0008: blocks (`store/blocks.py`): block types by slug, their schemas by checksum, and
# named documents. A document's `data` holds its values; secret values are encrypted by
# the operations before they get here (`operations/block_secrets.py`).
block_types = Table(
    "block_types",
    metadata,
    Column("id", ID, primary_key=True),
    Column("slug", String(255), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("logo_url", Text, nullable=True),
    Column("documentation_url", Text, nullable=True),
    Column("description", Text, nullable=True),
    Column("code_example", Text, nullable=True),
    Column("is_protected", Boolean, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)
block_schemas = Table(
    "block_schemas",
    metadata,
    Column("id", ID, primary_key=True),
    Column("checksum", String(255), nullable=False),
    Column("version", String(255), nullable=False),
    Column("block_type_id", ID, ForeignKey("block_types.id"), nullable=False),
    Column("fields", JSON, nullable=False),
    Column("capabilities", JSON, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Index(None, "checksum", "version", unique=True),
    Index(None, "block_type_id", "created"),
)
block_documents = Table(
    "block_documents",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("block_type_id", ID, ForeignKey("block_types.id"), nullable=False),
    Column("block_schema_id", ID, ForeignKey("block_schemas.id"), nullable=False),
    Column("data", JSON, nullable=False),
    Column("is_anonymous", Boolean, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Index(None, "block_type_id", "name", unique=True),
)
__all__ += ["block_documents", "block_schemas", "block_types"]

# 0009: artifacts (`store/artifacts.py`), written by the batch writer when made in a run
# (store/batches.py) and by the operations otherwise. No foreign keys to the runs: an
# artifact may name a run whose record is in the same or a later batch, or made elsewhere.
# `artifact_collections` holds the latest version of each key (Prefect's notion); the
# other fields of a collection are read from its latest artifact.
artifacts = Table(
    "artifacts",
    metadata,
    Column("id", ID, primary_key=True),
    Column("key", String(255), nullable=True),
    Column("type", String(64), nullable=True),
    Column("description", Text, nullable=True),
    Column("data", JSON, nullable=True),
    Column("metadata", JSON, nullable=True),
    Column("flow_run_id", ID, nullable=True),
    Column("task_run_id", ID, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)
Index("ix_artifacts_key_created", artifacts.c.key, artifacts.c.created)
Index("ix_artifacts_flow_run_id", artifacts.c.flow_run_id)
Index("ix_artifacts_task_run_id", artifacts.c.task_run_id)

artifact_collections = Table(
    "artifact_collections",
    metadata,
    Column("id", ID, primary_key=True),
    Column("key", String(255), nullable=False, unique=True),
    Column("latest_id", ID, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)
__all__ += ["artifact_collections", "artifacts"]

# 0010: assets (`store/assets.py`), written by the batch writer when a `@materialize`
# task run ends (store/batches.py). `assets` holds each key's latest properties and
# when it was last seen; `asset_materializations` one row per asset per materializing
# task run; `asset_dependencies` the lineage edges seen so far (upstream -> downstream).
# No foreign keys: a materialization may name runs written in a later batch.
assets = Table(
    "assets",
    metadata,
    Column("key", String(512), primary_key=True),
    Column("properties", JSON, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)

asset_materializations = Table(
    "asset_materializations",
    metadata,
    Column("id", ID, primary_key=True),
    Column("asset_key", String(512), nullable=False),
    Column("status", String(16), nullable=False),
    Column("by", String(255), nullable=True),
    Column("metadata", JSON, nullable=True),
    Column("upstream", JSON, nullable=True),
    Column("flow_run_id", ID, nullable=True),
    Column("task_run_id", ID, nullable=True),
    Column("created", Double, nullable=False),
)
Index("ix_asset_materializations_asset_key_created", asset_materializations.c.asset_key,
      asset_materializations.c.created)
Index("ix_asset_materializations_flow_run_id", asset_materializations.c.flow_run_id)

asset_dependencies = Table(
    "asset_dependencies",
    metadata,
    Column("upstream_key", String(512), primary_key=True),
    Column("downstream_key", String(512), primary_key=True),
    Column("created", Double, nullable=False),
)
Index("ix_asset_dependencies_downstream_key", asset_dependencies.c.downstream_key)
__all__ += ["asset_dependencies", "asset_materializations", "assets"]

# 0013: the web UI's login sessions (`store/ui_sessions.py`): the SHA-256 of each
# session's random id (never the id itself, which only the browser holds) and when it
# expires. Logging out deletes the row.
ui_sessions = Table(
    "ui_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("created", Double, nullable=False),
    Column("expires", Double, nullable=False),
)
Index("ix_ui_sessions_expires", ui_sessions.c.expires)
__all__ += ["ui_sessions"]
# 0014: flow run input (`store/flow_run_input.py`): JSON values keyed by (flow run, key),
# what a paused run waits for and what `send_input` sends. `value` is JSON text.
flow_run_input = Table(
    "flow_run_input",
    metadata,
    Column("id", ID, primary_key=True),
    Column("flow_run_id", ID, nullable=False),
    Column("key", String(255), nullable=False),
    Column("value", Text, nullable=False),
    Column("sender", String(255), nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)
Index("ix_flow_run_input_flow_run_id_key", flow_run_input.c.flow_run_id, flow_run_input.c.key, unique=True)
__all__ += ["flow_run_input"]
# 0016: background task runs (`store/background.py`): the queue `task.delay()` fills and
# task workers claim under leases, and the task workers serving it. A row's history
# (the task run, its states) lives in `task_runs`/`states` like any task run's; this
# table holds only what the queue needs, and the final state waiters watch.
background_task_runs = Table(
    "background_task_runs",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("task_key", String(255), nullable=False),
    Column("task_name", String(255), nullable=False),
    Column("status", String(16), nullable=False),
    Column("storage", Text, nullable=False),
    Column("retries", Integer, nullable=False),
    Column("claims", Integer, nullable=False),
    Column("worker", String(255), nullable=True),
    Column("lease_expires", Double, nullable=True),
    Column("state_type", String(16), nullable=True),
    Column("state_name", String(64), nullable=True),
    Column("state_message", Text, nullable=True),
    Column("parameters", LargeBinary, nullable=True),
    Column("outcome", LargeBinary, nullable=True),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)
Index("ix_background_task_runs_status_task_key_created", background_task_runs.c.status,
      background_task_runs.c.task_key, background_task_runs.c.created)

task_workers = Table(
    "task_workers",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("task_keys", JSON, nullable=False),
    Column("limit", Integer, nullable=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("running", Integer, nullable=False),
    Column("started", Double, nullable=False),
    Column("last_heartbeat", Double, nullable=False),
)
__all__ += ["background_task_runs", "task_workers"]
