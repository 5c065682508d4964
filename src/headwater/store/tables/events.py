"""Events, the marks that find state changes' events by time, and automations."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, Double, Index, Integer, String, Table, Text, UniqueConstraint

from headwater.store.tables.base import ID, SERIAL_ID, metadata

__all__ = ["automation_actions", "automation_cursor", "automations", "events", "state_marks"]

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
# 0011: where the events of state changes are found by time without an index on
# `states.timestamp` (which would cost every state row): the history writer adds one row
# here per flush with states, at most one a second, saying "at `at`, the highest state
# id was `state_id`"; store/state_ranges.py turns a time range into a range of state ids.
state_marks = Table(
    "state_marks",
    metadata,
    Column("id", SERIAL_ID, primary_key=True, autoincrement=True),
    Column("at", Double, nullable=False),
    Column("state_id", BigInteger, nullable=False),
    Index(None, "at"),
)

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
