"""Concurrency limits, on Prefect 3's paths: global limits and rate limits (v2), tag limits (v1).

Global limits (`/api/v2/concurrency_limits`), addressed by id or by name; a tag limit
is the v2 limit named `tag:<tag>`, so every endpoint here serves both kinds:

- `POST /` create (201; 409 if the name is taken), `GET /{id_or_name}`,
  `PATCH /{id_or_name}` (`limit`, `slot_decay_per_second`, `active`; replies with the
  limit), `DELETE /{id_or_name}` (204), `POST /filter` (`limit`, `offset`, `kind`).
- `POST /increment-with-lease`: take `slots` of every limit in `names`, all or none.
  Granted: 200 with the `lease_id` to renew and release (null for `mode: rate_limit`,
  whose slots decay back by themselves). Refused: 423 with `Retry-After` and the
  full limits in `blocking`; `strict` and a limit missing: 404. Both bodies carry
  the `SlotGrant` fields (`granted`, `missing`, `blocking`, `retry_after`, ...).
- `POST /increment`: the same for `mode: rate_limit` (Prefect's `rate_limit()` path).
- `POST /decrement-with-lease` (`lease_id`; 204, also when already released),
  `POST /leases/{lease_id}/renew` (204; 404 once lapsed), and headwater's bulk
  `POST /leases/renew` (`lease_ids`; replies with the ids that had lapsed) and
  `POST /{id_or_name}/reset` (204: every lease on the limit released at once).

Tag limits (`/api/concurrency_limits`), Prefect's v1 shape `{id, tag, concurrency_limit,
active_slots}`: `POST /` create or update, `GET /{id}`, `GET /tag/{tag}`, `POST /filter`,
`DELETE /{id}`, `DELETE /tag/{tag}`, `POST /tag/{tag}/reset` (frees every held slot).

Bad input is 422 with a message naming the field or limit (the same one-line messages
as the embedded store's), never a 500.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any, Literal, Optional, TypeVar

from fastapi import APIRouter, HTTPException, Path, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from headwater.core.limits import (
    ConcurrencyLimitError,
    ConcurrencyLimitInfo,
    LimitKind,
    SlotGrant,
    check_decay,
    check_limit,
    limit_key,
    limit_key_of,
    missing_message,
    waiting_message,
)
from headwater.core.settings import Settings
from headwater.exceptions import ObjectNotFound
from headwater.server.api._deps import OpsDep, StoreDep
from headwater.operations import Operations

__all__ = ["router", "tag_router"]

T = TypeVar("T")

MAX_SLOTS = 2_147_483_647
"""The most slots a limit or a request can have (the database column is 32-bit)."""
MAX_LEASE_SECONDS = 86_400.0
DEFAULT_LEASE_SECONDS: float = Settings.model_fields["concurrency_lease_seconds"].default

_Name = Annotated[str, Field(min_length=1, max_length=255)]
_Slots = Annotated[int, Field(gt=0, le=MAX_SLOTS)]
# PostgreSQL text cannot hold NUL characters: refuse them here rather than fail in the database.
_LeaseId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00]*$")]
_LeaseIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[^\x00]*$")]
_LeaseSeconds = Annotated[float, Field(gt=0, le=MAX_LEASE_SECONDS, allow_inf_nan=False)]


class _LimitErrorsRoute(APIRoute):
    """A route that answers `ConcurrencyLimitError` (a bad limit, name or request) with 422."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except ConcurrencyLimitError as exc:
                return JSONResponse(status_code=422, content={"detail": str(exc)})

        return route


router = APIRouter(prefix="/v2/concurrency_limits", tags=["concurrency limits"], route_class=_LimitErrorsRoute)
tag_router = APIRouter(prefix="/concurrency_limits", tags=["tag concurrency limits"], route_class=_LimitErrorsRoute)


# -- request and reply bodies ---------------------------------------------------------
class _Body(BaseModel):
    # Unknown fields are refused, naming the field, rather than silently ignored.
    model_config = ConfigDict(extra="forbid")


class LimitCreate(_Body):
    """A new limit: `name` (`tag:<tag>` for a tag limit), `limit` slots, optional decay."""

    name: _Name
    limit: int = Field(le=MAX_SLOTS)
    slot_decay_per_second: float = Field(0.0, allow_inf_nan=False)
    active: bool = True


class LimitUpdate(_Body):
    """What to change; fields left out stay as they are."""

    limit: Optional[int] = Field(None, le=MAX_SLOTS)
    slot_decay_per_second: Optional[float] = Field(None, allow_inf_nan=False)
    active: Optional[bool] = None


class LimitFilter(_Body):
    """A page of limits by name; `kind` "global" or "tag" keeps only that kind."""

    limit: Optional[int] = Field(None, ge=0, le=10_000)
    offset: int = Field(0, ge=0, le=MAX_SLOTS)
    kind: Optional[Literal["global", "tag"]] = None
    with_holders: bool = True


class SlotsRequest(_Body):
    """Slots to take: `slots` of each limit in `names`, held under a lease (`mode:
    concurrency`) or decaying back on their own (`mode: rate_limit`)."""

    names: list[_Name] = Field(min_length=1, max_length=100)
    slots: _Slots
    mode: Literal["concurrency", "rate_limit"] = "concurrency"
    lease_duration: _LeaseSeconds = DEFAULT_LEASE_SECONDS
    holder: dict[str, Any] = Field(default_factory=dict)
    strict: bool = False


class SlotsGranted(SlotGrant):
    """The slots were taken; release them with `decrement-with-lease` and `lease_id`."""


class SlotsRefused(SlotGrant):
    """The slots were not taken: `detail` says what is full or missing."""

    detail: str


class LeaseRelease(_Body):
    lease_id: _LeaseId


class LeaseRenewal(_Body):
    lease_duration: _LeaseSeconds = DEFAULT_LEASE_SECONDS


class LeasesRenewal(_Body):
    lease_ids: list[_LeaseId] = Field(max_length=10_000)
    lease_duration: _LeaseSeconds = DEFAULT_LEASE_SECONDS


class LeasesRenewed(BaseModel):
    lost: list[str] = Field(description="Leases that had expired or been released: not renewed.")


class TagLimitCreate(_Body):
    """Prefect's v1 body: at most `concurrency_limit` task runs tagged `tag` at once."""

    tag: _Name
    concurrency_limit: int = Field(le=MAX_SLOTS)


class TagLimit(BaseModel):
    """A tag limit in Prefect's v1 shape; `active_slots` are the runs holding its slots."""

    id: str
    tag: str
    concurrency_limit: int
    active: bool
    active_slots: list[str]
    created: datetime
    updated: datetime


# -- looking limits up ---------------------------------------------------------------
def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _name_of_id(ops: Operations, limit_id: str, kind: LimitKind | None = None) -> str | None:
    for info in ops.list_concurrency_limits(kind=kind, with_holders=False):
        if info.id == limit_id:
            return info.name
    return None


def _by_id_or_name(ops: Operations, id_or_name: str, action: Callable[[str], T]) -> T:
    """`action(key)` for the limit named `id_or_name`, or else the one with that id.

    Raises:
        ObjectNotFound: neither exists.
    """
    try:
        key: str | None = limit_key_of(id_or_name)
    except ConcurrencyLimitError:
        key = None
    if key is not None:
        try:
            return action(key)
        except ObjectNotFound:
            if not _is_uuid(id_or_name):
                raise
    name = _name_of_id(ops, id_or_name) if _is_uuid(id_or_name) else None
    if name is None:
        raise ObjectNotFound(f"there is no concurrency limit with the name or id {id_or_name[:255]!r}; list the "
                             "limits with `headwater gcl ls`")
    return action(name)


# -- global limits (and tag limits by their key) ------------------------------------------
@router.post("/", status_code=201, summary="Create a concurrency limit")
def create_limit(body: LimitCreate, ops: OpsDep) -> ConcurrencyLimitInfo:
    """Create a global limit (with `slot_decay_per_second` > 0 a rate limit), or a tag
    limit when `name` is `tag:<tag>`. 409 if the name is taken; nothing is created."""
    key = limit_key_of(body.name)
    check_limit(body.limit, key)
    check_decay(body.slot_decay_per_second, key)
    try:
        return ops.create_concurrency_limit(key, body.limit, slot_decay_per_second=body.slot_decay_per_second,
                                              active=body.active)
    except ConcurrencyLimitError as exc:  # the input was checked above: the name is taken
        raise HTTPException(status_code=409, detail=str(exc)) from None


@router.post("/filter", summary="List concurrency limits")
def filter_limits(ops: OpsDep, body: Optional[LimitFilter] = None) -> list[ConcurrencyLimitInfo]:
    """Limits by name with their slots in use, `offset` and `limit` paging them."""
    body = body or LimitFilter()
    infos = ops.list_concurrency_limits(kind=body.kind, with_holders=body.with_holders)
    end = None if body.limit is None else body.offset + body.limit
    return infos[body.offset:end]


@router.post("/increment-with-lease", summary="Take slots", response_model=SlotsGranted, responses={
    404: {"model": SlotsRefused, "description": "strict, and a limit does not exist"},
    423: {"model": SlotsRefused, "description": "a limit is full; try again after Retry-After"},
})
def increment_with_lease(body: SlotsRequest, store: StoreDep) -> SlotsGranted | JSONResponse:
    """Take `slots` of every limit in `names`, all or none (see the module docstring).
    422 when the request can never succeed: more slots than a limit, or a rate limit
    asked of a limit without decay."""
    keys = list(dict.fromkeys(limit_key_of(name) for name in body.names))
    lease_seconds = body.lease_duration if body.mode == "concurrency" else None
    grant = store.limits.acquire_concurrency_slots(keys, body.slots, lease_seconds=lease_seconds, holder=body.holder,
                                            strict=body.strict)
    if grant.granted:
        return SlotsGranted(**grant.model_dump())
    if grant.missing and not grant.blocking:
        refusal = SlotsRefused(**grant.model_dump(), detail=f"{missing_message(grant.missing)} (strict)")
        return JSONResponse(status_code=404, content=refusal.model_dump(mode="json"))
    refusal = SlotsRefused(**grant.model_dump(), detail=waiting_message(body.slots, grant.blocking))
    retry_after = grant.retry_after if grant.retry_after is not None else 1.0
    return JSONResponse(status_code=423, content=refusal.model_dump(mode="json"),
                        headers={"Retry-After": f"{math.ceil(retry_after * 1000) / 1000:g}"})


@router.post("/increment", summary="Take rate-limit slots", response_model=SlotsGranted, responses={
    404: {"model": SlotsRefused, "description": "strict, and a limit does not exist"},
    423: {"model": SlotsRefused, "description": "a limit is full; try again after Retry-After"},
})
def increment(body: SlotsRequest, store: StoreDep) -> SlotsGranted | JSONResponse:
    """`rate_limit()`: take slots that decay back on their own. Slots held until
    released need a lease: use `increment-with-lease` for `mode: concurrency`."""
    if body.mode != "rate_limit":
        raise ConcurrencyLimitError("body.mode: slots held until released need a lease that can expire if the "
                                    "holder dies; use POST /api/v2/concurrency_limits/increment-with-lease, or "
                                    "mode 'rate_limit' here")
    return increment_with_lease(body, store)


@router.post("/decrement-with-lease", status_code=204, summary="Release slots")
def decrement_with_lease(body: LeaseRelease, store: StoreDep) -> Response:
    """Give back the slots of a lease; a lease already released or expired is no error."""
    store.limits.release_concurrency_slots(body.lease_id)
    return Response(status_code=204)


@router.post("/leases/renew", summary="Renew leases")
def renew_leases(body: LeasesRenewal, store: StoreDep) -> LeasesRenewed:
    """Extend each unexpired lease to `lease_duration` seconds from now; reply with
    the ids that had already lapsed (their slots may have gone to others)."""
    return LeasesRenewed(lost=store.limits.renew_concurrency_leases(body.lease_ids, body.lease_duration))


@router.post("/leases/{lease_id}/renew", status_code=204, summary="Renew a lease")
def renew_lease(lease_id: _LeaseIdPath, store: StoreDep, body: Optional[LeaseRenewal] = None) -> Response:
    """Extend one lease; 404 when it has expired or been released."""
    if store.limits.renew_concurrency_leases([lease_id], (body or LeaseRenewal()).lease_duration):
        raise ObjectNotFound(f"lease {lease_id[:64]!r} has expired or was released; take the slots again")
    return Response(status_code=204)


@router.post("/{id_or_name}/reset", status_code=204, summary="Free a concurrency limit's slots")
def reset_limit(id_or_name: str, ops: OpsDep) -> Response:
    """Release every lease held on it, in one transaction (their holders keep running).
    headwater's, like `leases/renew`: the client's `reset_concurrency_limit_by_tag` is one request."""
    _by_id_or_name(ops, id_or_name, ops.reset_concurrency_limit)
    return Response(status_code=204)


@router.get("/{id_or_name}", summary="Read a concurrency limit")
def read_limit(id_or_name: str, ops: OpsDep) -> ConcurrencyLimitInfo:
    """The limit with this name (or id), its slots in use and who holds them."""
    return _by_id_or_name(ops, id_or_name, ops.read_concurrency_limit)


@router.patch("/{id_or_name}", summary="Change a concurrency limit")
def update_limit(id_or_name: str, body: LimitUpdate, ops: OpsDep) -> ConcurrencyLimitInfo:
    """Change its size, decay or whether it is active; slots held stay held."""
    return _by_id_or_name(ops, id_or_name, lambda key: ops.update_concurrency_limit(
        key, limit=body.limit, slot_decay_per_second=body.slot_decay_per_second, active=body.active))


@router.delete("/{id_or_name}", status_code=204, summary="Delete a concurrency limit")
def delete_limit(id_or_name: str, ops: OpsDep) -> Response:
    """Delete it and its leases; holders' later releases are harmless."""
    _by_id_or_name(ops, id_or_name, ops.delete_concurrency_limit)
    return Response(status_code=204)


# -- tag limits, Prefect's v1 shape ------------------------------------------------------
def _tag_limit(info: ConcurrencyLimitInfo) -> TagLimit:
    holders = [str(h.holder.get("run_id") or h.holder.get("id") or h.lease_id) for h in info.holders]
    return TagLimit(id=info.id, tag=info.display_name, concurrency_limit=info.limit, active=info.active,
                    active_slots=holders, created=info.created, updated=info.updated)


def _tag_key_of_id(ops: Operations, limit_id: str) -> str:
    name = _name_of_id(ops, limit_id, kind="tag") if _is_uuid(limit_id) else None
    if name is None:
        raise ObjectNotFound(f"there is no tag concurrency limit with id {limit_id[:64]!r}; list them with "
                             "`headwater concurrency-limit ls`")
    return name


@tag_router.post("/", summary="Create or update a tag concurrency limit", responses={
    201: {"model": TagLimit, "description": "created"},
})
def create_tag_limit(body: TagLimitCreate, ops: OpsDep, response: Response) -> TagLimit:
    """At most `concurrency_limit` task runs tagged `tag` run at once (0: none run).
    An existing limit on the tag gets the new size (200); a new one is 201."""
    key = limit_key(body.tag, "tag")
    check_limit(body.concurrency_limit, key)
    try:
        info = ops.update_concurrency_limit(key, limit=body.concurrency_limit)
    except ObjectNotFound:
        info = ops.create_concurrency_limit(key, body.concurrency_limit)
        response.status_code = 201
    return _tag_limit(info)


@tag_router.post("/filter", summary="List tag concurrency limits")
def filter_tag_limits(ops: OpsDep, body: Optional[LimitFilter] = None) -> list[TagLimit]:
    """Tag limits by tag, `offset` and `limit` paging them."""
    body = body or LimitFilter()
    infos = ops.list_concurrency_limits(kind="tag")
    end = None if body.limit is None else body.offset + body.limit
    return [_tag_limit(info) for info in infos[body.offset:end]]


@tag_router.get("/tag/{tag}", summary="Read a tag concurrency limit by tag")
def read_tag_limit_by_tag(tag: str, ops: OpsDep) -> TagLimit:
    """The limit on `tag`, with the runs holding its slots."""
    return _tag_limit(ops.read_concurrency_limit(limit_key(tag, "tag")))


@tag_router.post("/tag/{tag}/reset", status_code=204, summary="Free a tag limit's slots")
def reset_tag_limit(tag: str, ops: OpsDep) -> Response:
    """Release every slot held on `tag` (their holders keep running)."""
    ops.reset_concurrency_limit(limit_key(tag, "tag"))
    return Response(status_code=204)


@tag_router.delete("/tag/{tag}", status_code=204, summary="Delete a tag concurrency limit by tag")
def delete_tag_limit_by_tag(tag: str, ops: OpsDep) -> Response:
    """Delete the limit on `tag`; tasks with the tag run unlimited."""
    ops.delete_concurrency_limit(limit_key(tag, "tag"))
    return Response(status_code=204)


@tag_router.get("/{id}", summary="Read a tag concurrency limit")
def read_tag_limit(id: str, ops: OpsDep) -> TagLimit:
    """The tag limit with this id."""
    return _tag_limit(ops.read_concurrency_limit(_tag_key_of_id(ops, id)))


@tag_router.delete("/{id}", status_code=204, summary="Delete a tag concurrency limit")
def delete_tag_limit(id: str, ops: OpsDep) -> Response:
    """Delete the tag limit with this id."""
    ops.delete_concurrency_limit(_tag_key_of_id(ops, id))
    return Response(status_code=204)
