"""Variables at Prefect's paths: `POST /api/variables/`, `GET|PATCH|DELETE
/api/variables/name/{name}` (and by id), `POST /api/variables/filter`, `/count`.

A value that is not JSON or is larger than `HEADWATER_VARIABLE_MAX_BYTES` is a 422
naming the limit; a taken name 409; an unknown one 404.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Body, Response

from headwater.core.variable_schemas import (
    VariableCount,
    VariableCreate,
    VariableFilterRequest,
    VariableInfo,
    VariableUpdate,
)
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/variables", tags=["variables"])


@router.post("/", status_code=201, summary="Create a variable")
def create_variable(body: VariableCreate, ops: OpsDep) -> VariableInfo:
    """Create a variable; 409 if the name is taken, 422 if the value is too large."""
    return ops.create_variable(body)


@router.post("/filter", summary="List variables")
def filter_variables(ops: OpsDep, body: VariableFilterRequest = Body(default_factory=VariableFilterRequest)
                     ) -> list[VariableInfo]:
    """One page of the variables matching the filter (by name unless `sort` says otherwise)."""
    return ops.filter_variables(body)


@router.post("/count", summary="Count variables")
def count_variables(ops: OpsDep, body: VariableCount = Body(default_factory=VariableCount)) -> int:
    """How many variables match the filter."""
    return ops.count_variables(body)


@router.get("/name/{name}", summary="Read a variable by name")
def read_variable_by_name(name: str, ops: OpsDep) -> VariableInfo:
    """The variable with this name; 404 if there is none."""
    return ops.read_variable(name)


@router.patch("/name/{name}", status_code=204, summary="Update a variable by name")
def update_variable_by_name(name: str, body: VariableUpdate, ops: OpsDep) -> Response:
    """Change the fields given; 404 if there is no such variable."""
    ops.update_variable(name, body)
    return Response(status_code=204)


@router.delete("/name/{name}", status_code=204, summary="Delete a variable by name")
def delete_variable_by_name(name: str, ops: OpsDep) -> Response:
    """Delete the variable; 404 if there is none."""
    ops.delete_variable(name)
    return Response(status_code=204)


@router.get("/{variable_id}", summary="Read a variable by id")
def read_variable(variable_id: UUID, ops: OpsDep) -> VariableInfo:
    """The variable with this id; 404 if there is none."""
    return ops.read_variable_by_id(str(variable_id))


@router.patch("/{variable_id}", status_code=204, summary="Update a variable by id")
def update_variable(variable_id: UUID, body: VariableUpdate, ops: OpsDep) -> Response:
    """Change the fields given; 404 if there is no such variable."""
    ops.update_variable(ops.read_variable_by_id(str(variable_id)).name, body)
    return Response(status_code=204)


@router.delete("/{variable_id}", status_code=204, summary="Delete a variable by id")
def delete_variable(variable_id: UUID, ops: OpsDep) -> Response:
    """Delete the variable; 404 if there is none."""
    ops.delete_variable(ops.read_variable_by_id(str(variable_id)).name)
    return Response(status_code=204)
