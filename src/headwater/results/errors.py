"""Errors of the result store. They belong to headwater's one tree (`HeadwaterError`)."""

from __future__ import annotations

from headwater.exceptions import HeadwaterError

__all__ = ["CorruptRecord", "SerializationError", "UnsafeStorageKey"]


class SerializationError(HeadwaterError, TypeError):
    """A task's result cannot be written with the chosen serializer."""


class UnsafeStorageKey(HeadwaterError, ValueError):
    """A `result_storage_key` would leave the result storage (absolute, `..`, ...)."""


class CorruptRecord(HeadwaterError):
    """A stored record is truncated, altered or not a headwater record."""
