"""Filters of variables and artifacts, shaped as Prefect's (re-exported by
`headwater.client.schemas.filters`).

Example:
    >>> VariableFilter(name=VariableFilterName(like_="region"))
"""

from __future__ import annotations

from typing import Optional
from uuid import UUID

from headwater.client.schemas.filter_base import CombinedFilter, FilterCriteria

__all__: list[str] = []


# -- variables (issue 16) -------------------------------------------------------------
class VariableFilterId(FilterCriteria):
    """Variables whose id is one of `any_`."""

    any_: Optional[list[UUID]] = None


class VariableFilterName(FilterCriteria):
    """Variables by exact name (`any_`) or case-insensitive substring (`like_`)."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None


class VariableFilterTags(CombinedFilter):
    """Variables having all of `all_` tags, or (`is_null_=True`) no tags."""

    all_: Optional[list[str]] = None
    is_null_: Optional[bool] = None


class VariableFilter(CombinedFilter):
    """Which variables."""

    id: Optional[VariableFilterId] = None
    name: Optional[VariableFilterName] = None
    tags: Optional[VariableFilterTags] = None


__all__ += ["VariableFilter", "VariableFilterId", "VariableFilterName", "VariableFilterTags"]


# -- artifacts (issue 16) -------------------------------------------------------------
class ArtifactFilterId(FilterCriteria):
    """Artifacts whose id is one of `any_`."""

    any_: Optional[list[UUID]] = None


class ArtifactFilterKey(FilterCriteria):
    """Artifacts by exact key (`any_`), case-insensitive substring (`like_`), or having one (`exists_`)."""

    any_: Optional[list[str]] = None
    like_: Optional[str] = None
    exists_: Optional[bool] = None


class ArtifactFilterFlowRunId(FilterCriteria):
    """Artifacts of the flow runs `any_`."""

    any_: Optional[list[UUID]] = None


class ArtifactFilterTaskRunId(FilterCriteria):
    """Artifacts of the task runs `any_`."""

    any_: Optional[list[UUID]] = None


class ArtifactFilterType(FilterCriteria):
    """Artifacts of the types `any_`, or not of the types `not_any_`."""

    any_: Optional[list[str]] = None
    not_any_: Optional[list[str]] = None


class ArtifactFilter(CombinedFilter):
    """Which artifacts."""

    id: Optional[ArtifactFilterId] = None
    key: Optional[ArtifactFilterKey] = None
    flow_run_id: Optional[ArtifactFilterFlowRunId] = None
    task_run_id: Optional[ArtifactFilterTaskRunId] = None
    type: Optional[ArtifactFilterType] = None


class ArtifactCollectionFilterLatestId(FilterCriteria):
    """Collections whose latest artifact is one of `any_`."""

    any_: Optional[list[UUID]] = None


class ArtifactCollectionFilterKey(ArtifactFilterKey):
    """Collections by key (as `ArtifactFilterKey`)."""


class ArtifactCollectionFilterFlowRunId(ArtifactFilterFlowRunId):
    """Collections whose latest artifact belongs to the flow runs `any_`."""


class ArtifactCollectionFilterTaskRunId(ArtifactFilterTaskRunId):
    """Collections whose latest artifact belongs to the task runs `any_`."""


class ArtifactCollectionFilterType(ArtifactFilterType):
    """Collections by their latest artifact's type (as `ArtifactFilterType`)."""


class ArtifactCollectionFilter(CombinedFilter):
    """Which keys' latest versions."""

    latest_id: Optional[ArtifactCollectionFilterLatestId] = None
    key: Optional[ArtifactFilterKey] = None
    flow_run_id: Optional[ArtifactFilterFlowRunId] = None
    task_run_id: Optional[ArtifactFilterTaskRunId] = None
    type: Optional[ArtifactFilterType] = None


__all__ += [
    "ArtifactCollectionFilter", "ArtifactCollectionFilterFlowRunId", "ArtifactCollectionFilterKey",
    "ArtifactCollectionFilterLatestId", "ArtifactCollectionFilterTaskRunId", "ArtifactCollectionFilterType",
    "ArtifactFilter", "ArtifactFilterFlowRunId", "ArtifactFilterId", "ArtifactFilterKey", "ArtifactFilterTaskRunId",
    "ArtifactFilterType",
]
