"""The blocks pages: list saved blocks; create or edit one with a form generated from
its block type's newest schema (`param_form.fields_of`); delete.

Secret values are never sent to the browser: their inputs show the mask
(`********`), and a mask posted back keeps the stored value (the operations'
`update_block_document` restores it). Nested blocks are shown as references and kept
as they are. Every value is escaped by the templates.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from headwater.core.block_schemas import (
    MASK,
    BlockDocumentCreate,
    BlockDocumentFilterRequest,
    BlockDocumentUpdate,
    BlockSchema,
    BlockSchemaFilterRequest,
    BlockTypeFilterRequest,
)
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound, ParameterValidationError
from headwater.server.api._deps import operations_of
from headwater.server.errors import validation_message
from headwater.server.ui.forms import read_form
from headwater.server.ui.param_form import Field, fields_of, parse_fields
from headwater.server.ui.templating import SECURITY_HEADERS, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _form_schema(schema: BlockSchema) -> dict[str, Any]:
    """The block schema in the shape `fields_of` reads (`$defs`), without nested blocks
    (they are references, kept as they are)."""
    fields = schema.fields
    nested = set((fields.get("block_schema_references") or {}).keys())
    properties = {}
    for name, prop in (fields.get("properties") or {}).items():
        if name in nested or not isinstance(prop, dict):
            continue
        ref = prop.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            prop = {**prop, "$ref": "#/$defs/" + ref.rsplit("/", 1)[-1]}
        properties[name] = prop
    return {"properties": properties, "required": [r for r in fields.get("required", []) if r not in nested],
            "$defs": fields.get("definitions", {})}


def _newest_schema(request: Request, block_type_id: str) -> BlockSchema:
    found = operations_of(request).filter_block_schemas(BlockSchemaFilterRequest.model_validate(
        {"block_schemas": {"block_type_id": {"any_": [block_type_id]}}, "limit": 1}))
    if not found:
        raise ObjectNotFound("this block type has no schema yet: register it (`headwater block register`)")
    return found[0]


def _list_page(request: Request, *, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    ops = operations_of(request)
    documents = ops.filter_block_documents(BlockDocumentFilterRequest())
    types = ops.filter_block_types(BlockTypeFilterRequest())
    return render(request, "blocks.html", {"documents": documents, "types": types, "error": error},
                  status_code=status_code)


def _form_page(request: Request, *, block_type: Any, fields: list[Field], secrets: set[str],
               document: Any = None, name: str = "", error: str | None = None,
               problems: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    context = {"block_type": block_type, "fields": fields, "secrets": secrets, "document": document,
               "name": name, "error": error, "problems": problems or {}, "mask": MASK}
    return render(request, "block_form.html", context, status_code=status_code)


@router.get("/blocks", response_class=HTMLResponse)
def blocks_page(request: Request) -> HTMLResponse:
    """Every saved block, and the block types to make a new one of."""
    return _list_page(request)


@router.get("/blocks/new", response_class=HTMLResponse)
def new_block_page(request: Request, type: str = "") -> HTMLResponse:
    """The form for a new block of the block type with slug `type`."""
    ops = operations_of(request)
    try:
        block_type = ops.read_block_type_by_slug(type)
        schema = _newest_schema(request, block_type.id)
    except ObjectNotFound as exc:
        return _list_page(request, error=str(exc), status_code=404)
    return _form_page(request, block_type=block_type, fields=fields_of(_form_schema(schema), {}),
                      secrets=set(schema.secret_fields))


@router.post("/blocks/new", response_class=HTMLResponse)
async def create_block(request: Request) -> Response:
    """Create a block from the form."""
    form = await read_form(request)
    ops = operations_of(request)
    try:
        block_type = ops.read_block_type_by_slug(form.get("type", ""))
        schema = _newest_schema(request, block_type.id)
    except ObjectNotFound as exc:
        return _list_page(request, error=str(exc), status_code=404)
    fields = fields_of(_form_schema(schema), {})
    data, problems = parse_fields(fields, form)
    name = form.get("name", "").strip()
    secrets = set(schema.secret_fields)
    if problems:
        return _form_page(request, block_type=block_type, fields=fields, secrets=secrets, name=name,
                          error="Some fields are not valid.", problems=problems, status_code=422)
    try:
        ops.create_block_document(BlockDocumentCreate(name=name, data=data, block_schema_id=schema.id,
                                                      block_type_id=block_type.id))
    except ValidationError as exc:
        error = validation_message(exc.errors())
    except (ObjectAlreadyExists, ObjectNotFound, ParameterValidationError) as exc:
        error = str(exc)
    else:
        return RedirectResponse("/blocks", status_code=303, headers=SECURITY_HEADERS)
    return _form_page(request, block_type=block_type, fields=fields, secrets=secrets, name=name, error=error,
                      status_code=422)


@router.get("/blocks/edit", response_class=HTMLResponse)
def edit_block_page(request: Request, id: str = "") -> HTMLResponse:
    """The form to change a block, its secrets masked."""
    ops = operations_of(request)
    try:
        document = ops.read_block_document(id)
    except ObjectNotFound as exc:
        return _list_page(request, error=str(exc), status_code=404)
    assert document.block_schema is not None
    fields = fields_of(_form_schema(document.block_schema), document.data)
    return _form_page(request, block_type=document.block_type, fields=fields,
                      secrets=set(document.block_schema.secret_fields), document=document, name=document.name or "")


@router.post("/blocks/edit", response_class=HTMLResponse)
async def edit_block(request: Request) -> Response:
    """Save the changed values of a block (a mask keeps its secret), or delete it."""
    form = await read_form(request)
    ops = operations_of(request)
    try:
        document = ops.read_block_document(form.get("id", ""))
        if form.get("action") == "delete":
            ops.delete_block_document(document.id)
            return RedirectResponse("/blocks", status_code=303, headers=SECURITY_HEADERS)
    except ObjectNotFound as exc:
        return _list_page(request, error=str(exc), status_code=404)
    assert document.block_schema is not None
    fields = fields_of(_form_schema(document.block_schema), document.data)
    data, problems = parse_fields(fields, form)
    secrets = set(document.block_schema.secret_fields)
    if not problems:
        try:
            ops.update_block_document(document.id, BlockDocumentUpdate(data=data))
        except (ValidationError, ParameterValidationError, ObjectNotFound) as exc:
            problems = {"": validation_message(exc.errors()) if isinstance(exc, ValidationError) else str(exc)}
        else:
            return RedirectResponse("/blocks", status_code=303, headers=SECURITY_HEADERS)
    return _form_page(request, block_type=document.block_type, fields=fields, secrets=secrets, document=document,
                      name=document.name or "", error=problems.pop("", "Some fields are not valid."),
                      problems=problems, status_code=422)
