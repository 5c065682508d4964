"""Flows: `POST /api/flows/`, `GET /api/flows/{id}`, `GET /api/flows/name/{name}`,
`POST /api/flows/filter`."""

from __future__ import annotations

from typing import Optional
from uuid import UUID

from fastapi import APIRouter, Path

from headwater.core.api_schemas import FlowCreate, FlowFilterRequest, FlowInfo
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/flows", tags=["flows"])


@router.post("/", status_code=201, summary="Create a flow (or return the one with this name)")
def create_flow(body: FlowCreate, ops: OpsDep) -> FlowInfo:
    """Create a flow; a flow with the same name is returned as it is."""
    return ops.ensure_flow(body.name)


@router.post("/filter", summary="List flows")
def filter_flows(ops: OpsDep, body: Optional[FlowFilterRequest] = None) -> list[FlowInfo]:
    """Flows matching the filter, one page, by name."""
    return ops.filter_flows(body or FlowFilterRequest())


@router.get("/name/{name}", summary="Read a flow by name")
def read_flow_by_name(ops: OpsDep, name: str = Path(min_length=1, max_length=255)) -> FlowInfo:
    """The flow called `name`; 404 if there is none."""
    return ops.read_flow(name=name)


@router.get("/{id}", summary="Read a flow")
def read_flow(id: UUID, ops: OpsDep) -> FlowInfo:
    """The flow with this id; 404 if there is none."""
    return ops.read_flow(flow_id=str(id))
