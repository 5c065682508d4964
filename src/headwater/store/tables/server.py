"""What the server keeps for itself: record batches already received, and UI login sessions."""

from __future__ import annotations

from sqlalchemy import Column, Double, Index, String, Table

from headwater.store.tables.base import metadata

__all__ = ["received_batches", "ui_sessions"]

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
