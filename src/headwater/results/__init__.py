"""Result persistence: values written as records into a storage, read back later.

    storage.py      where records live (local directory, or any fsspec URL)
    records.py      the record format: header (serializer, expiry, keys) + payload
    serializers.py  "pickle" (cloudpickle, default) and "json"
    keys.py         safe `result_storage_key` templates
    store.py        write_result / read_result / ResultReference
    locks.py        file locks for isolation_level="SERIALIZABLE"

The engine uses these through engine/caching.py.
"""

from __future__ import annotations

from headwater.results.errors import CorruptRecord, SerializationError, UnsafeStorageKey
from headwater.results.keys import check_storage_key, check_template, render_storage_key
from headwater.results.records import RecordHeader
from headwater.results.serializers import JSONSerializer, PickleSerializer, Serializer, resolve_serializer
from headwater.results.storage import ResultStorage, open_storage
from headwater.results.store import ResultReference, StoredResult, read_result, write_result

__all__ = [
    "CorruptRecord",
    "JSONSerializer",
    "PickleSerializer",
    "RecordHeader",
    "ResultReference",
    "ResultStorage",
    "SerializationError",
    "Serializer",
    "StoredResult",
    "UnsafeStorageKey",
    "check_storage_key",
    "check_template",
    "open_storage",
    "read_result",
    "render_storage_key",
    "resolve_serializer",
    "write_result",
]
