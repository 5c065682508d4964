"""Results in a storage: write a value as a record, read a record back as a value."""

from __future__ import annotations

from typing import Any

from headwater.core import clock
from headwater.core.states import LazyResult
from headwater.exceptions import MissingResult
from headwater.results.errors import CorruptRecord, SerializationError
from headwater.results.records import RecordHeader, decode_record, encode_record
from headwater.results.serializers import Serializer, serializer_named
from headwater.results.storage import ResultStorage

__all__ = ["ResultReference", "StoredResult", "read_result", "write_result"]


class StoredResult:
    """A record read back: its header and its value."""

    __slots__ = ("header", "value")

    def __init__(self, header: RecordHeader, value: Any) -> None:
        self.header = header
        self.value = value


def write_result(storage: ResultStorage, key: str, value: Any, serializer: Serializer, *,
                 cache_key: str | None, expires: float | None) -> RecordHeader:
    """Serialize `value` and store it under `key` in one atomic step.

    Raises:
        SerializationError: the serializer cannot write `value` (message names both).
        OSError: the storage cannot be written.
    """
    try:
        payload = serializer.dumps(value)
    except Exception as exc:
        raise SerializationError(
            f"the result, of type {_type_name(value)}, cannot be serialized with the {serializer.type!r} "
            f"serializer: {type(exc).__name__}: {exc}. Return a value the serializer can write, choose another "
            "result_serializer ('pickle' or 'json'), or set persist_result=False to run this task uncached"
        ) from exc
    if not isinstance(payload, bytes):
        raise SerializationError(f"serializer {serializer.type!r} returned {type(payload).__name__}, not bytes")
    header = RecordHeader(serializer.type, cache_key, storage.location(key), clock.now(), expires)
    storage.write(key, encode_record(header, payload))
    return header


def read_result(storage: ResultStorage, key: str, serializer: Serializer | None = None) -> StoredResult | None:
    """The record under `key` with its value, or None if there is no record.

    Args:
        serializer: used when the record names it; otherwise the built-in one the
            record names is used.

    Raises:
        CorruptRecord: the record is damaged or its payload cannot be deserialized.
        OSError: the storage cannot be read.
    """
    data = storage.read(key)
    if data is None:
        return None
    header, payload = decode_record(data)
    reader = serializer if serializer is not None and serializer.type == header.serializer \
        else serializer_named(header.serializer)
    if reader is None:
        raise CorruptRecord(f"the record was written with serializer {header.serializer!r}, which is not available")
    try:
        value = reader.loads(payload)
    except Exception as exc:
        raise CorruptRecord(
            f"the record cannot be deserialized with {header.serializer!r}: {type(exc).__name__}: {exc}"
        ) from None
    return StoredResult(header, value)


class ResultReference(LazyResult):
    """A persisted result not kept in memory (`cache_result_in_memory=False`): read on `load()`."""

    __slots__ = ("storage", "key", "serializer")

    def __init__(self, storage: ResultStorage, key: str, serializer: Serializer) -> None:
        self.storage = storage
        self.key = key
        self.serializer = serializer

    def load(self) -> Any:
        """Read the value from storage.

        Raises:
            MissingResult: the record is gone or damaged.
        """
        location = self.storage.location(self.key)
        try:
            stored = read_result(self.storage, self.key, self.serializer)
        except (CorruptRecord, OSError) as exc:
            raise MissingResult(f"the result at {location} cannot be read: {exc}") from None
        if stored is None:
            raise MissingResult(f"the result at {location} is missing (it was deleted after the run)")
        return stored.value

    def __repr__(self) -> str:
        return f"ResultReference({self.storage.location(self.key)!r})"


def _type_name(value: Any) -> str:
    kind = type(value)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
