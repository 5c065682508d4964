"""`ArtifactMethods`: Prefect's client methods for artifacts, part of `SyncPrefectClient`.

`create_artifact`, `read_artifacts`, `read_latest_artifacts`, `update_artifact` and
`delete_artifact` with Prefect's arguments and results, over the transport
(`headwater.client.transport`); the async client gets them as coroutines.
(Artifacts made inside a run do not come here: they go with the run's history,
see `headwater.artifacts`.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from headwater.client.schemas.actions import ArtifactCreate, ArtifactUpdate
    from headwater.client.schemas.objects import Artifact, ArtifactCollection
    from headwater.client.transport import Transport
    from headwater.core.artifact_schemas import ArtifactCollectionInfo, ArtifactFilterRequest, ArtifactInfo

__all__ = ["ArtifactMethods", "artifact_request", "plain_criteria", "to_artifact", "to_artifact_collection"]


def _data(value: Any) -> Any:
    # Prefect's server hands back a whole-number float as an int (a progress of 75.0
    # reads back as 75); done here so both transports and both databases agree.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def plain_criteria(spec: Any, name: str) -> dict[str, Any] | None:
    """The criteria set in one of Prefect's filter objects, as plain JSON (None if none).

    Raises:
        ValueError: it combines its criteria with `or_` (headwater reads `and_` only).
    """
    if spec is None:
        return None
    if getattr(getattr(spec, "operator", "and_"), "value", "and_") != "and_":
        raise ValueError(f"{name}: headwater combines filter criteria with and_ only (operator=or_ is not supported)")
    dumped: dict[str, Any] = spec.model_dump(mode="json", exclude_none=True, exclude={"operator"})
    return {k: v for k, v in dumped.items() if v}


def _uuid(value: str | None) -> UUID | None:
    return UUID(value) if value else None


def to_artifact(info: ArtifactInfo) -> Artifact:
    """The operations' `ArtifactInfo` as Prefect's `Artifact` object."""
    from headwater.client.schemas.objects import Artifact

    return Artifact(id=UUID(info.id), key=info.key, type=info.type, description=info.description,
                    data=_data(info.data), metadata_=info.metadata_, flow_run_id=_uuid(info.flow_run_id),
                    task_run_id=_uuid(info.task_run_id), created=info.created, updated=info.updated)


def to_artifact_collection(info: ArtifactCollectionInfo) -> ArtifactCollection:
    """The operations' `ArtifactCollectionInfo` as Prefect's `ArtifactCollection` object."""
    from headwater.client.schemas.objects import ArtifactCollection

    return ArtifactCollection(
        id=UUID(info.id), key=info.key, latest_id=UUID(info.latest_id), type=info.type,
        description=info.description, data=_data(info.data), metadata_=info.metadata_,
        flow_run_id=_uuid(info.flow_run_id), task_run_id=_uuid(info.task_run_id), created=info.created,
        updated=info.updated)


def artifact_request(artifact_filter: Any = None, flow_run_filter: Any = None, task_run_filter: Any = None,
                     sort: Any = None, limit: int | None = None, offset: int | None = None) -> ArtifactFilterRequest:
    """Prefect's artifact filters (either kind) as the operations' request.

    Of the run filters, only their ids are read (`FlowRunFilter(id=...)`); any other
    criterion is refused with a `ValueError` naming it.
    """
    from headwater.core.artifact_schemas import ArtifactFilterRequest

    body: dict[str, Any] = {"artifacts": plain_criteria(artifact_filter, "artifact_filter")}
    for name, spec, field in (("flow_run_filter", flow_run_filter, "flow_runs"),
                              ("task_run_filter", task_run_filter, "task_runs")):
        criteria = plain_criteria(spec, name)
        if criteria:
            extra = sorted(set(criteria) - {"id"})
            if extra:
                raise ValueError(f"{name}: artifacts are read by run ids only; {', '.join(extra)} is not supported "
                                 "here (read the runs first, then filter by their ids)")
            body[field] = {"id": {"any_": [str(i) for i in criteria["id"].get("any_") or []]}}
    return ArtifactFilterRequest.model_validate({
        **body, "sort": getattr(sort, "value", sort), "limit": limit, "offset": offset or 0,
    })


class ArtifactMethods:
    """The artifacts methods of the client (see the module docstring)."""

    if TYPE_CHECKING:
        def _ops(self) -> Transport: ...

    def create_artifact(self, artifact: ArtifactCreate) -> Artifact:
        """Create an artifact; with a key, it becomes that key's latest version.

        Raises:
            ParameterValidationError: `data` is not JSON.
        """
        from headwater.core.artifact_schemas import ArtifactCreate as Create

        fields = artifact.model_dump(exclude_unset=True)
        for run in ("flow_run_id", "task_run_id"):
            if fields.get(run) is not None:
                fields[run] = str(fields[run])
        return to_artifact(self._ops().create_artifact(Create(**fields)))

    def read_artifacts(self, *, artifact_filter: Any = None, flow_run_filter: Any = None,
                       task_run_filter: Any = None, sort: Any = None, limit: int | None = None,
                       offset: int = 0) -> list[Artifact]:
        """The artifacts (every version) matching the filters, in `sort` order (newest id first)."""
        request = artifact_request(artifact_filter, flow_run_filter, task_run_filter, sort, limit, offset)
        return [to_artifact(a) for a in self._ops().filter_artifacts(request)]

    def read_latest_artifacts(self, *, artifact_filter: Any = None, flow_run_filter: Any = None,
                              task_run_filter: Any = None, sort: Any = None, limit: int | None = None,
                              offset: int = 0) -> list[ArtifactCollection]:
        """The latest version of each key matching the filters (Prefect's artifact collections)."""
        request = artifact_request(artifact_filter, flow_run_filter, task_run_filter, sort, limit, offset)
        return [to_artifact_collection(a) for a in self._ops().filter_latest_artifacts(request)]

    def update_artifact(self, artifact_id: UUID | str, artifact: ArtifactUpdate) -> None:
        """Change an artifact's data, description or metadata (the fields given).

        Raises:
            ObjectNotFound: no artifact has this id.
        """
        from headwater.core.artifact_schemas import ArtifactUpdate as Update

        self._ops().update_artifact(str(artifact_id), Update(**artifact.model_dump(exclude_unset=True)))

    def delete_artifact(self, artifact_id: UUID | str) -> None:
        """Delete an artifact; its key's previous version becomes the latest.

        Raises:
            ObjectNotFound: no artifact has this id.
        """
        self._ops().delete_artifact(str(artifact_id))
