"""`ArtifactOperations`: the artifacts part of the control plane (`Operations` inherits it).

Artifacts made inside a run reach the store through the engine's record batches
(store/batches.py), not through here; these are the operations of the REST API and
of the client's in-process transport: create one outside a run, read, list, count,
update (a progress bar's value) and delete. A `data` that is not JSON is refused
with a `ParameterValidationError` (the API answers 422).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.core.artifact_schemas import (
        ArtifactCollectionInfo,
        ArtifactCount,
        ArtifactCreate,
        ArtifactFilterRequest,
        ArtifactInfo,
        ArtifactUpdate,
    )
    from headwater.store import Store

__all__ = ["ArtifactOperations"]


def _check_data(data: Any) -> None:
    from headwater.exceptions import ParameterValidationError

    try:
        json.dumps(data, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise ParameterValidationError(f"an artifact's data must be JSON: {str(exc)[:200]}") from None


class ArtifactOperations:
    """Create, read, list, count, change and delete artifacts."""

    if TYPE_CHECKING:
        store: Store

    def create_artifact(self, body: ArtifactCreate) -> ArtifactInfo:
        """Store an artifact; with a key, it becomes the key's latest version.

        Raises:
            ParameterValidationError: `data` is not JSON.
        """
        _check_data(body.data)
        return self.store.artifacts.create_artifact(body)

    def read_artifact(self, artifact_id: str) -> ArtifactInfo:
        """An artifact by id. Raises `ObjectNotFound`."""
        return self.store.artifacts.read_artifact(artifact_id)

    def read_latest_artifact(self, key: str) -> ArtifactInfo:
        """The latest version of `key`. Raises `ObjectNotFound`."""
        return self.store.artifacts.read_latest_artifact(key)

    def filter_artifacts(self, request: ArtifactFilterRequest) -> list[ArtifactInfo]:
        """One page of the artifacts (every version) matching the request, in its order."""
        return self.store.artifacts.filter_artifacts(request, sort=request.sort or "ID_DESC", limit=request.limit,
                                                     offset=request.offset or 0)

    def count_artifacts(self, request: ArtifactCount) -> int:
        """How many artifacts match the request."""
        return self.store.artifacts.count_artifacts(request)

    def filter_latest_artifacts(self, request: ArtifactFilterRequest) -> list[ArtifactCollectionInfo]:
        """One page of the keys' latest versions matching the request, in its order."""
        return self.store.artifacts.filter_latest_artifacts(request, sort=request.sort or "ID_DESC",
                                                            limit=request.limit, offset=request.offset or 0)

    def count_latest_artifacts(self, request: ArtifactCount) -> int:
        """How many keys' latest versions match the request."""
        return self.store.artifacts.count_latest_artifacts(request)

    def update_artifact(self, artifact_id: str, body: ArtifactUpdate) -> None:
        """Change the fields of `body` that were given.

        Raises:
            ObjectNotFound: no such artifact.
            ParameterValidationError: the new `data` is not JSON.
        """
        changes = body.model_dump(exclude_unset=True)
        if "data" in changes:
            _check_data(changes["data"])
        self.store.artifacts.update_artifact(artifact_id, changes)

    def delete_artifact(self, artifact_id: str) -> None:
        """Delete an artifact (its key's previous version becomes the latest). Raises `ObjectNotFound`."""
        self.store.artifacts.delete_artifact(artifact_id)
