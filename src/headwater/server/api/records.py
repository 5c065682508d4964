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
    FlowRunCreated,
    Heartbeat,
    LogEmitted,
    StateChanged,
    TaskInputsRecorded,
    TaskRunCreated,
)
from headwater.server.api._deps import StoreDep

__all__ = ["decode_records", "router"]

router = APIRouter(prefix="/records", tags=["records"])

_KINDS: dict[str, Any] = {
    "flow_run": FlowRunCreated,
    "task_run": TaskRunCreated,
    "state": StateChanged,
    "log": LogEmitted,
    "heartbeat": Heartbeat,
}


def decode_records(items: list[Any], *, strip_nul: bool) -> list[Any]:
    """Turn validated batch items back into `headwater.orchestrator.records` tuples.

    Args:
        strip_nul: replace NUL characters in messages (PostgreSQL cannot store them).
    """
    records: list[Any] = []
    append = records.append
    kinds = _KINDS
    for item in items:
        tag = item[0]
        if tag == "inputs":
            append(TaskInputsRecorded(item[1], tuple(tuple(edge) for edge in item[2])))
            continue
        record = kinds[tag](*item[1:])
        if strip_nul:
            if tag == "log" and "\x00" in record.message:
                record = record._replace(message=record.message.replace("\x00", "\ufffd"))
            elif tag == "state" and record.message and "\x00" in record.message:
                record = record._replace(message=record.message.replace("\x00", "\ufffd"))
        append(record)
    return records


@router.post("/batch", summary="Write a batch of the engine's records (idempotent)")
def write_batch(body: RecordBatch, store: StoreDep) -> BatchAccepted:
    """Write the records of one batch in one transaction, once per `batch_id`."""
    records = decode_records(body.records, strip_nul=store.dialect_name == "postgresql")
    written = store.write_batch(body.batch_id, records)
    return BatchAccepted(batch_id=body.batch_id, records=len(records), duplicate=not written)
