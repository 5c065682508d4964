"""The on-disk form of a result: one file, a header line, then the payload.

    HWR1\\n
    {"serializer": "pickle", "cache_key": "...", "storage_key": "...", "created": 1.7e9,
     "expires": 1.7e9 | null, "size": 1234, "crc32": 5678}\\n
    <size bytes written by the serializer>

The header says how to read the payload (serializer), until when it may be used
(expires) and what it is for (cache_key, storage_key). `size` and `crc32` let a
reader tell a complete record from a truncated or altered one, so a damaged file
is recomputed instead of read as a hit. Records are written to a temporary name
and renamed into place (results/storage.py), so readers never see a partial one
from a live writer; the checksum covers what a crash or a full disk leaves behind.
"""

from __future__ import annotations

import json
import zlib
from typing import Any, NamedTuple

from headwater.results.errors import CorruptRecord

__all__ = ["RecordHeader", "decode_record", "encode_record"]

MAGIC = b"HWR1\n"


class RecordHeader(NamedTuple):
    """What a record says about its payload.

    Attributes:
        serializer: the `type` of the serializer that wrote the payload.
        cache_key: the cache key the result answers, or None (persisted, not cached).
        storage_key: where the record lives: a path or URL.
        created: when it was written, seconds since the epoch.
        expires: when it stops counting as a hit, or None (never).
    """

    serializer: str
    cache_key: str | None
    storage_key: str
    created: float
    expires: float | None

    def is_expired(self, now: float) -> bool:
        return self.expires is not None and now >= self.expires


def encode_record(header: RecordHeader, payload: bytes) -> bytes:
    """Return the bytes of a record holding `payload`."""
    fields: dict[str, Any] = {
        "serializer": header.serializer,
        "cache_key": header.cache_key,
        "storage_key": header.storage_key,
        "created": header.created,
        "expires": header.expires,
        "size": len(payload),
        "crc32": zlib.crc32(payload),
    }
    return b"".join((MAGIC, json.dumps(fields, separators=(",", ":")).encode(), b"\n", payload))


def decode_record(data: bytes) -> tuple[RecordHeader, bytes]:
    """Split a record into its header and its checked payload.

    Raises:
        CorruptRecord: not a record, a damaged header, or a payload whose length or
            checksum differs from what the header says.
    """
    if not data.startswith(MAGIC):
        raise CorruptRecord("not a headwater result record (bad or missing header)")
    end = data.find(b"\n", len(MAGIC))
    if end < 0:
        raise CorruptRecord("the record's header is incomplete (truncated file)")
    try:
        fields = json.loads(data[len(MAGIC):end])
        header = RecordHeader(
            serializer=str(fields["serializer"]),
            cache_key=fields["cache_key"],
            storage_key=str(fields["storage_key"]),
            created=float(fields["created"]),
            expires=None if fields["expires"] is None else float(fields["expires"]),
        )
        size, crc = int(fields["size"]), int(fields["crc32"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CorruptRecord(f"the record's header cannot be read ({type(exc).__name__}: {exc})") from None
    payload = data[end + 1:]
    if len(payload) != size:
        raise CorruptRecord(f"the record holds {len(payload)} bytes of result where it should hold {size} (truncated)")
    if zlib.crc32(payload) != crc:
        raise CorruptRecord("the record's checksum does not match its content (the file was altered or damaged)")
    return header, payload
