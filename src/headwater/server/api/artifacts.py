"""Artifacts at Prefect's paths: `POST /api/artifacts/`, `GET|PATCH|DELETE
/api/artifacts/{id}`, `GET /api/artifacts/{key}/latest`, `POST /api/artifacts/filter`,
`/count`, `/latest/filter` and `/latest/count` (each key's latest version).

An unknown id or key is a 404 (`Artifact not found.` as Prefect says it); a key that
is not lowercase letters, numbers and dashes, or `data` that is not JSON, a 422.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Body, Response

from headwater.core.artifact_schemas import (
    ArtifactCollectionInfo,
    ArtifactCount,
    ArtifactCreate,
    ArtifactFilterRequest,
    ArtifactInfo,
    ArtifactUpdate,
)
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/artifacts", tags=["artifacts"])


@router.post("/", status_code=201, summary="Create an artifact")
def create_artifact(body: ArtifactCreate, ops: OpsDep) -> ArtifactInfo:
    """Store an artifact; with a key it becomes that key's latest version."""
    return ops.create_artifact(body)


@router.post("/filter", summary="List artifacts (every version)")
def filter_artifacts(ops: OpsDep, body: ArtifactFilterRequest = Body(default_factory=ArtifactFilterRequest)
                     ) -> list[ArtifactInfo]:
    """One page of the artifacts matching the filter (newest id first unless `sort` says otherwise)."""
    return ops.filter_artifacts(body)


@router.post("/count", summary="Count artifacts")
def count_artifacts(ops: OpsDep, body: ArtifactCount = Body(default_factory=ArtifactCount)) -> int:
    """How many artifacts match the filter."""
    return ops.count_artifacts(body)


@router.post("/latest/filter", summary="List the latest version of each key")
def filter_latest_artifacts(ops: OpsDep, body: ArtifactFilterRequest = Body(default_factory=ArtifactFilterRequest)
                            ) -> list[ArtifactCollectionInfo]:
    """One page of the keys' latest versions (Prefect's artifact collections)."""
    return ops.filter_latest_artifacts(body)


@router.post("/latest/count", summary="Count the keys")
def count_latest_artifacts(ops: OpsDep, body: ArtifactCount = Body(default_factory=ArtifactCount)) -> int:
    """How many keys' latest versions match the filter."""
    return ops.count_latest_artifacts(body)


@router.get("/{artifact_id}", summary="Read an artifact")
def read_artifact(artifact_id: UUID, ops: OpsDep) -> ArtifactInfo:
    """The artifact with this id; 404 if there is none."""
    return ops.read_artifact(str(artifact_id))


@router.get("/{key}/latest", summary="Read the latest version of a key")
def read_latest_artifact(key: str, ops: OpsDep) -> ArtifactInfo:
    """The latest artifact with this key; 404 if there is none."""
    return ops.read_latest_artifact(key)


@router.patch("/{artifact_id}", status_code=204, summary="Update an artifact")
def update_artifact(artifact_id: UUID, body: ArtifactUpdate, ops: OpsDep) -> Response:
    """Change the fields given; 404 if there is no such artifact."""
    ops.update_artifact(str(artifact_id), body)
    return Response(status_code=204)


@router.delete("/{artifact_id}", status_code=204, summary="Delete an artifact")
def delete_artifact(artifact_id: UUID, ops: OpsDep) -> Response:
    """Delete the artifact (its key's previous version becomes the latest); 404 if there is none."""
    ops.delete_artifact(str(artifact_id))
    return Response(status_code=204)
