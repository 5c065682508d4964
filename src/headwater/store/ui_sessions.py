"""The web UI's login sessions (`store.ui_sessions`).

A session id is 32 random bytes that only the browser holds (in its cookie); the table
keeps its SHA-256 and when it expires, so a copy of the database opens no session.
Logging out deletes the row; expired rows are deleted as new sessions start.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from headwater.store.tables import ui_sessions

if TYPE_CHECKING:
    from headwater.store.database import Database

__all__ = ["UiSessions"]


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


class UiSessions:
    """Starts, checks and ends UI sessions over one `Database`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def start(self, now: float, lifetime_seconds: float) -> str:
        """A new session valid for `lifetime_seconds`; its id (for the cookie)."""
        session_id = secrets.token_urlsafe(32)

        def action(conn: Connection) -> None:
            conn.execute(delete(ui_sessions).where(ui_sessions.c.expires <= now))
            conn.execute(insert(ui_sessions).values(id_hash=_hash(session_id), created=now,
                                                    expires=now + lifetime_seconds))

        self._db.write(action)
        return session_id

    def is_valid(self, session_id: str, now: float) -> bool:
        """Whether `session_id` is a started session that has neither expired nor ended."""
        if not session_id or len(session_id) > 200:
            return False
        query = select(ui_sessions.c.expires).where(ui_sessions.c.id_hash == _hash(session_id))
        expires = self._db.read(lambda conn: conn.execute(query).scalar())
        return expires is not None and expires > now

    def end(self, session_id: str) -> None:
        """End the session (logout); nothing happens for an unknown id."""
        if session_id:
            self._db.write(lambda conn: conn.execute(delete(ui_sessions).where(
                ui_sessions.c.id_hash == _hash(session_id))))
