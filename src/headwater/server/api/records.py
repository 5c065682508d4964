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
    RunProcess,
    StateChanged,
    TaskInputsRecorded,
    TaskRunCreated,
    truncate_message,
)
from headwater.server.api._deps import SettingsDep, StoreDep

__all__ = ["decode_records", "mark_recoveries", "router"]

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
    "process": RunProcess,
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


_ENDS = ("COMPLETED", "FAILED", "CANCELLED")


def mark_recoveries(store: Any, records: list[Any]) -> list[Any]:
    """A flow run the server declared Crashed (no heartbeat) whose engine then reports how
    it really ended was alive after all: its end is recorded as a recovery, with the
    Crashed state named in its message and details, not as if nothing had happened.

    Only batches holding a flow run's end are looked at (one read per such run).
    """
    ends = [i for i, r in enumerate(records) if type(r) is StateChanged and not r.is_task and r.type in _ENDS]
    for i in ends:
        record = records[i]
        try:
            current = store.flow_runs.read_flow_run_by_id(record.run_id).state
        except Exception:  # not written yet (created in this batch) or gone: nothing to recover from
            continue
        if current is None or current.type != "CRASHED" or current.timestamp.timestamp() > record.timestamp:
            continue
        note = f"recovered: marked Crashed ({current.message or 'no reason given'}), but its process lived on"
        details = dict(record.details or {}, recovered_from={"type": "CRASHED", "message": current.message,
                                                              "timestamp": current.timestamp.isoformat()})
        records[i] = record._replace(message=f"{note}; {record.message}" if record.message else note,
                                     details=details)
    return records


@router.post("/batch", summary="Write a batch of the engine's records (idempotent)")
def write_batch(body: RecordBatch, store: StoreDep, settings: SettingsDep) -> BatchAccepted:
    """Write the records of one batch in one transaction, once per `batch_id`."""
    records = decode_records(body.records, max_message_bytes=settings.logging_max_message_bytes)
    records = mark_recoveries(store, records)
    written = store.history.write_batch(body.batch_id, records)
    return BatchAccepted(batch_id=body.batch_id, records=len(records), duplicate=not written)
