"""Automations at Prefect's paths: `POST /api/automations/`, `GET|PUT|PATCH|DELETE
/api/automations/{id}`, `POST /api/automations/filter` and `/count`,
`GET /api/automations/related-to/{resource_id}`, `DELETE /api/automations/owned-by/{resource_id}`;
and headwater's `GET /api/automations/{id}/actions` (the actions it took).

A malformed trigger or action is a 422 naming the field; an action naming a
deployment, work pool, block document or automation that does not exist is a 422 as
well (refused at creation, not found failing later); an unknown automation 404.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Body, Query, Response

from headwater.core.automation_schemas import (
    AutomationCore,
    AutomationFilterRequest,
    AutomationInfo,
    AutomationPartialUpdate,
    FiredAction,
)
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/automations", tags=["automations"])


@router.post("/", status_code=201, summary="Create an automation")
def create_automation(body: AutomationCore, ops: OpsDep) -> AutomationInfo:
    """Create an automation (checked first: 422 naming what is wrong)."""
    return ops.create_automation(body)


@router.post("/filter", summary="List automations")
def filter_automations(ops: OpsDep, body: AutomationFilterRequest = Body(default_factory=AutomationFilterRequest)
                       ) -> list[AutomationInfo]:
    """The automations matching the filter (by name unless `sort` says otherwise)."""
    return ops.filter_automations(body)


@router.post("/count", summary="Count automations")
def count_automations(ops: OpsDep, body: AutomationFilterRequest = Body(default_factory=AutomationFilterRequest)
                      ) -> int:
    """How many automations match the filter."""
    return ops.count_automations(body)


@router.get("/related-to/{resource_id}", summary="Automations related to a resource")
def related_automations(resource_id: str, ops: OpsDep) -> list[AutomationInfo]:
    """The automations that name the resource (or that it owns)."""
    return ops.related_automations(resource_id[:1024])


@router.delete("/owned-by/{resource_id}", status_code=202, summary="Delete a resource's automations")
def delete_owned_automations(resource_id: str, ops: OpsDep) -> Response:
    """Delete the automations the resource owns (a deployment's triggers)."""
    ops.delete_owned_automations(resource_id[:1024])
    return Response(status_code=202)


@router.get("/{automation_id}", summary="Read an automation")
def read_automation(automation_id: UUID, ops: OpsDep) -> AutomationInfo:
    """The automation; 404 if there is none."""
    return ops.read_automation(str(automation_id))


@router.get("/{automation_id}/actions", summary="The actions an automation took")
def automation_actions(automation_id: UUID, ops: OpsDep, limit: int = Query(50, ge=1, le=1000)
                       ) -> list[FiredAction]:
    """The latest actions it took, newest first, with how each went."""
    ops.read_automation(str(automation_id))
    return ops.automation_actions(str(automation_id), limit=limit)


@router.put("/{automation_id}", status_code=204, summary="Replace an automation")
def update_automation(automation_id: UUID, body: AutomationCore, ops: OpsDep) -> Response:
    """Replace the automation (checked as on creation); 404 if there is none."""
    ops.update_automation(str(automation_id), body)
    return Response(status_code=204)


@router.patch("/{automation_id}", status_code=204, summary="Pause or resume an automation")
def patch_automation(automation_id: UUID, body: AutomationPartialUpdate, ops: OpsDep) -> Response:
    """`{"enabled": false}` pauses it, `true` resumes it; 404 if there is none."""
    ops.set_automation_enabled(str(automation_id), body.enabled)
    return Response(status_code=204)


@router.delete("/{automation_id}", status_code=204, summary="Delete an automation")
def delete_automation(automation_id: UUID, ops: OpsDep) -> Response:
    """Delete the automation; 404 if there is none."""
    ops.delete_automation(str(automation_id))
    return Response(status_code=204)
