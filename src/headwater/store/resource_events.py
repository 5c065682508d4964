"""The events of artifacts and assets written by the history writer, in Prefect 3's
shape: `prefect.artifact-collection.created` / `.updated` when an artifact with a key
is made (Prefect's server emits them for the key's collection), and, when a
`@materialize` task run ends, `prefect.asset.referenced` for each asset it was made
from and `prefect.asset.materialization.succeeded` / `.failed` for each it made.

Each event's id is derived from the record's id, so a batch written twice stores its
events once. Free of SQLAlchemy, like store/event_rows.py.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from headwater.store.event_rows import event_row

__all__ = ["artifact_event_rows", "asset_event_rows", "asset_resource", "derived_event_id"]

RunRelated = Callable[[str], "list[dict[str, str]] | None"]
"""The related resources of a flow run's events (its flow, deployment, pool, tags), by id."""

# Positions in an artifacts row of a batch (store/batches.py, tables/artifacts.py column order).
_ART_ID, _ART_KEY, _ART_TYPE, _ART_DESCRIPTION, _ART_DATA, _ART_FLOW_RUN, _ART_TASK_RUN, _ART_CREATED = (
    0, 1, 2, 3, 4, 6, 7, 8)


def derived_event_id(record_id: str, what: str) -> str:
    """The id of the event `what` of the record `record_id` (the same each time)."""
    try:
        base = uuid.UUID(str(record_id))
    except ValueError:
        base = uuid.uuid5(uuid.NAMESPACE_URL, str(record_id))
    return str(uuid.uuid5(base, what))


def _run_related(flow_run_id: str | None, task_run_id: str | None, run_related: RunRelated
                 ) -> list[dict[str, str]]:
    related: list[dict[str, str]] = []
    if flow_run_id:
        related.append({"prefect.resource.id": f"prefect.flow-run.{flow_run_id}", "prefect.resource.role": "flow-run"})
    if task_run_id:
        related.append({"prefect.resource.id": f"prefect.task-run.{task_run_id}", "prefect.resource.role": "task-run"})
    if flow_run_id:
        related += run_related(flow_run_id) or []
    return related


def artifact_event_rows(artifacts: Sequence[Sequence[Any]], read_collection: Callable[[str], Sequence[Any]],
                        run_related: RunRelated, received: float) -> list[tuple[Any, ...]]:
    """The collection events of a batch's artifacts with a key, oldest first: `created`
    for the first version of a new key, `updated` for the others.

    Args:
        artifacts: the batch's artifact rows (already written, collections upserted).
        read_collection: (id, created) of the collection of a key, read after the upsert.
        run_related: see `RunRelated`.
        received: when the batch is written.
    """
    out: list[tuple[Any, ...]] = []
    collections: dict[str, tuple[str, float] | None] = {}
    first_seen: set[str] = set()
    for row in sorted((r for r in artifacts if r[_ART_KEY] is not None), key=lambda r: r[_ART_CREATED]):
        key = row[_ART_KEY]
        if key not in collections:
            found = read_collection(key)
            collections[key] = (str(found[0][0]), float(found[0][1])) if found else None
        collection = collections[key]
        if collection is None:
            continue
        # The collection was made in this batch (at its newest version's time) when it is
        # no older than the key's first version here, which is then the one that made it.
        action = "created" if key not in first_seen and collection[1] >= row[_ART_CREATED] else "updated"
        first_seen.add(key)
        try:
            data = json.loads(row[_ART_DATA])
        except (TypeError, ValueError):
            data = row[_ART_DATA]
        related = [{"prefect.resource.id": f"prefect.artifact.{row[_ART_ID]}", "prefect.resource.role": "latest"}]
        related += _run_related(row[_ART_FLOW_RUN], row[_ART_TASK_RUN], run_related)
        resource = {"prefect.resource.id": f"prefect.artifact-collection.{collection[0]}", "prefect.resource.name": key}
        payload = {"key": key, "type": row[_ART_TYPE], "data": data, "description": row[_ART_DESCRIPTION]}
        out.append(event_row(derived_event_id(row[_ART_ID], "artifact-collection"), row[_ART_CREATED],
                             f"prefect.artifact-collection.{action}", resource, related, payload, None, received))
    return out


def asset_resource(key: str, properties: dict[str, Any] | None) -> dict[str, str]:
    """An asset as an event's resource: its key, and the properties it was given."""
    resource = {"prefect.resource.id": key}
    properties = properties or {}
    if properties.get("name") is not None:
        resource["prefect.resource.name"] = str(properties["name"])
    if properties.get("description") is not None:
        resource["prefect.asset.description"] = str(properties["description"])
    if properties.get("url") is not None:
        resource["prefect.asset.url"] = str(properties["url"])
    if properties.get("owners") is not None:
        resource["prefect.asset.owners"] = json.dumps(properties["owners"])
    return resource


def asset_event_rows(records: Sequence[Any], run_related: RunRelated, received: float) -> list[tuple[Any, ...]]:
    """The events of a batch's `AssetMaterialized` records: per materializing task run,
    `prefect.asset.referenced` for each upstream asset (once per task run), then
    `prefect.asset.materialization.<status>` for each asset made."""
    out: list[tuple[Any, ...]] = []
    referenced: set[tuple[str | None, str]] = set()
    for record in sorted(records, key=lambda r: r.timestamp):
        context = _run_related(record.flow_run_id, record.task_run_id, run_related)
        for key, properties in record.upstream:
            if (record.task_run_id, key) in referenced:
                continue
            referenced.add((record.task_run_id, key))
            # a microsecond before the materialization, as Prefect emits it first
            out.append(event_row(derived_event_id(record.id, f"referenced:{key}"), record.timestamp - 1e-6,
                                 "prefect.asset.referenced", asset_resource(key, properties), context, {}, None,
                                 received))
        related = [{"prefect.resource.id": key, "prefect.resource.role": "asset"} for key, _ in record.upstream]
        if record.by:
            related.append({"prefect.resource.id": record.by, "prefect.resource.role": "asset-materialized-by"})
        out.append(event_row(derived_event_id(record.id, "materialization"), record.timestamp,
                             f"prefect.asset.materialization.{record.status}", asset_resource(record.key,
                                                                                              record.properties),
                             related + context, record.metadata or {}, None, received))
    return out
