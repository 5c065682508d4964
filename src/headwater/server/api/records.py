"""`POST /api/records/batch`: the engine's writer in client mode sends its records here.

A batch is the same records `LocalOrchestrator` writes into its own database, each a
JSON array (tag, then the record's fields; see `core/api_schemas.RecordBatch`). The
batch id makes a re-send harmless: a batch already written is acknowledged and not
written again.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from headwater.core.api_schemas import BatchAccepted, RecordBatch
from headwater.orchestrator.records import (
    EventEmitted,
    ArtifactCreated,
    ArtifactUpdated,
    AssetMaterialized,
    FlowRunCreated,
    Heartbeat,
    LogEmitted,
    StateChanged,
    TaskInputsRecorded,
    TaskRunCreated,
    truncate_message,
)
from headwater.server.api._deps import SettingsDep, StoreDep

__all__ = ["decode_records", "router"]

router = APIRouter(prefix="/records", tags=["records"])

_KINDS: dict[str, Any] = {
    "flow_run": FlowRunCreated,
    "task_run": TaskRunCreated,
    "state": StateChanged,
    "log": LogEmitted,
    "heartbeat": Heartbeat,
    "event": EventEmitted,
    "artifact": ArtifactCreated,
    "artifact_update": ArtifactUpdated,
}


def decode_records(items: list[Any], *, max_message_bytes: int) -> list[Any]:
    """Turn validated batch items back into `headwater.orchestrator.records` tuples.

    Args:
        max_message_bytes: longer log lines are stored cut, as the engine stores them
            (a client other than headwater's engine may not have cut them).
    """
    records: list[Any] = []
    append = records.append
    kinds = _KINDS
    surely_short = max_message_bytes // 4  # a str of n characters is at most 4n UTF-8 bytes
    for item in items:
        tag = item[0]
        if tag == "inputs":
            append(TaskInputsRecorded(item[1], tuple(tuple(edge) for edge in item[2])))
            continue
        if tag == "asset":
            (_, record_id, key, properties, metadata, upstream, by, status, flow_run_id, task_run_id, ts) = item
            append(AssetMaterialized(record_id, key, properties, metadata, [tuple(edge) for edge in upstream], by,
                                     status, flow_run_id, task_run_id, ts))
            continue
        record = kinds[tag](*item[1:])
        if tag == "log" and len(record.message) > surely_short:
            record = record._replace(message=truncate_message(record.message, max_message_bytes))
        append(record)
    return records


@router.post("/batch", summary="Write a batch of the engine's records (idempotent)")
def write_batch(body: RecordBatch, store: StoreDep, settings: SettingsDep) -> BatchAccepted:
    """Write the records of one batch in one transaction, once per `batch_id`."""
    records = decode_records(body.records, max_message_bytes=settings.logging_max_message_bytes)
    written = store.history.write_batch(body.batch_id, records)
    return BatchAccepted(batch_id=body.batch_id, records=len(records), duplicate=not written)
