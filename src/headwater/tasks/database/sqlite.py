"""Prefect 1's SQLite tasks: run one query (returning its rows) or a script."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

from headwater.engine.tasks import Task
from headwater.utilities.tasks import defaults_from_attrs

__all__ = ["SQLiteQuery", "SQLiteScript"]


class SQLiteQuery(Task[..., Any]):
    """Run a single SQL statement against a SQLite file and return the fetched rows.

    Args:
        db: the database file.
        query: one statement; `?` placeholders take `data`.
        data: the values for the placeholders.
    """

    def __init__(self, db: str | None = None, query: str | None = None, data: tuple[Any, ...] = (),
                 **kwargs: Any) -> None:
        self.db = db
        self.query = query
        self.data = data
        super().__init__(**kwargs)

    @defaults_from_attrs("db", "query", "data")
    def run(self, db: str | None = None, query: str | None = None,
            data: tuple[Any, ...] = ()) -> list[Any]:
        """The rows the statement fetched.

        Raises:
            ValueError: no db, no query, or `?` placeholders without data.
        """
        if db is None:
            raise ValueError("The db must be specified")
        if query is None:
            raise ValueError("The query string must be specified")
        if "?" in query and not data:
            raise ValueError("The data inputs must be specified as a tuple if query contains parametrized values '?'")
        with closing(sqlite3.connect(db)) as conn, closing(conn.cursor()) as cursor:
            cursor.execute(query, data)
            return cursor.fetchall()


class SQLiteScript(Task[..., Any]):
    """Run a SQL script (several statements) against a SQLite file; returns nothing.

    Args:
        db: the database file.
        script: the statements.
    """

    def __init__(self, db: str | None = None, script: str | None = None, **kwargs: Any) -> None:
        self.db = db
        self.script = script
        super().__init__(**kwargs)

    @defaults_from_attrs("db", "script")
    def run(self, db: str | None = None, script: str | None = None) -> None:
        """Run the script.

        Raises:
            ValueError: no db or no script.
        """
        if db is None:
            raise ValueError("The db must be specified")
        if script is None:
            raise ValueError("The query script string must be specified")
        with closing(sqlite3.connect(db)) as conn, closing(conn.cursor()) as cursor:
            cursor.executescript(script)
