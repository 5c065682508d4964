"""Errors of the result store. They belong to headwater's one tree (`HeadwaterError`)."""

from __future__ import annotations

from headwater.exceptions import CorruptRecord, SerializationError, UnsafeStorageKey  # noqa: F401 (the one exception tree)

__all__ = ["CorruptRecord", "SerializationError", "UnsafeStorageKey"]
