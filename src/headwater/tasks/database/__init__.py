"""Prefect 1's database tasks (`prefect.tasks.database`): SQLite."""

from headwater.tasks.database.sqlite import SQLiteQuery, SQLiteScript

__all__ = ["SQLiteQuery", "SQLiteScript"]
