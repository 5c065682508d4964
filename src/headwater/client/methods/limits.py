"""Concurrency limits: global limits (and rate limits) by name, tag limits by tag."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from headwater.client import convert as c
from headwater.client.methods.base import ClientBase
from headwater.client.schemas import objects as o
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound

if TYPE_CHECKING:
    from headwater.client.schemas import actions as a

__all__ = ["LimitMethods"]


class LimitMethods(ClientBase):
    """The client's concurrency limit methods (`create_global_concurrency_limit`, `reset_concurrency_limit_by_tag`, ...)."""

    def create_global_concurrency_limit(self, concurrency_limit: a.GlobalConcurrencyLimitCreate) -> UUID:
        """Create a global limit; returns its id. Raises `ObjectAlreadyExists`."""
        from headwater.core.limits import ConcurrencyLimitError, limit_key

        key = limit_key(concurrency_limit.name)
        ops = self._ops()
        try:
            info = ops.create_concurrency_limit(key, concurrency_limit.limit,
                                                slot_decay_per_second=concurrency_limit.slot_decay_per_second,
                                                active=concurrency_limit.active)
        except ConcurrencyLimitError as refused:
            try:
                ops.read_concurrency_limit(key)
            except ObjectNotFound:
                raise refused from None  # not taken: the values themselves were refused
            raise ObjectAlreadyExists(f"a global concurrency limit named {concurrency_limit.name!r} "
                                      "already exists") from None
        return UUID(info.id)

    def read_global_concurrency_limit_by_name(self, name: str) -> o.GlobalConcurrencyLimit:
        """The global limit called `name`. Raises `ObjectNotFound`."""
        from headwater.core.limits import limit_key

        return c.to_global_limit(self._ops().read_concurrency_limit(limit_key(name)))

    def read_global_concurrency_limits(self, limit: int = 10, offset: int = 0) -> list[o.GlobalConcurrencyLimit]:
        """Global limits by name, one page."""
        infos = self._ops().list_concurrency_limits(kind="global", with_holders=False)
        return [c.to_global_limit(i) for i in infos[offset:offset + limit]]

    def update_global_concurrency_limit(self, name: str,
                                        concurrency_limit: a.GlobalConcurrencyLimitUpdate) -> None:
        """Change a global limit's size, decay or activity. Raises `ObjectNotFound`."""
        from headwater.core.limits import limit_key

        self._ops().update_concurrency_limit(limit_key(name), limit=concurrency_limit.limit,
                                             slot_decay_per_second=concurrency_limit.slot_decay_per_second,
                                             active=concurrency_limit.active)

    def upsert_global_concurrency_limit_by_name(self, name: str, limit: int) -> None:
        """Create the global limit `name`, or set its size if it exists."""
        from headwater.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate

        try:
            self.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(limit=limit))
        except ObjectNotFound:
            self.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=limit))

    def delete_global_concurrency_limit_by_name(self, name: str) -> None:
        """Delete a global limit. Raises `ObjectNotFound`."""
        from headwater.core.limits import limit_key

        self._ops().delete_concurrency_limit(limit_key(name))

    def create_concurrency_limit(self, tag: str, concurrency_limit: int) -> UUID:
        """Create (or resize) the limit on task runs tagged `tag`; returns its id.

        Raises:
            pydantic.ValidationError: `tag` or `concurrency_limit` of the wrong type
                (Prefect's `ConcurrencyLimitCreate` checks them).
        """
        from headwater.client.schemas.actions import ConcurrencyLimitCreate
        from headwater.core.limits import ConcurrencyLimitError, limit_key

        body = ConcurrencyLimitCreate(tag=tag, concurrency_limit=concurrency_limit)
        tag, concurrency_limit = body.tag, body.concurrency_limit
        key = limit_key(tag, "tag")
        ops = self._ops()
        try:
            return UUID(ops.create_concurrency_limit(key, concurrency_limit).id)
        except ConcurrencyLimitError as refused:
            try:  # taken: resize it, as Prefect does
                return UUID(ops.update_concurrency_limit(key, limit=concurrency_limit).id)
            except ObjectNotFound:
                raise refused from None  # not taken: the value itself was refused

    def read_concurrency_limit_by_tag(self, tag: str) -> o.ConcurrencyLimit:
        """The limit on `tag`. Raises `ObjectNotFound`."""
        from headwater.core.limits import limit_key

        return c.to_tag_limit(self._ops().read_concurrency_limit(limit_key(tag, "tag")))

    def read_concurrency_limits(self, limit: int, offset: int) -> list[o.ConcurrencyLimit]:
        """Tag limits by tag, one page."""
        infos = self._ops().list_concurrency_limits(kind="tag")
        return [c.to_tag_limit(i) for i in infos[offset:offset + limit]]

    def reset_concurrency_limit_by_tag(self, tag: str, slot_override: list[UUID] | None = None) -> None:
        """Free every slot held on `tag`'s limit."""
        from headwater.core.limits import limit_key

        if slot_override:
            raise ValueError("headwater cannot reset a tag limit to given slots (slot_override); omit it")
        self._ops().reset_concurrency_limit(limit_key(tag, "tag"))

    def delete_concurrency_limit_by_tag(self, tag: str) -> None:
        """Delete the limit on `tag`. Raises `ObjectNotFound`."""
        from headwater.core.limits import limit_key

        self._ops().delete_concurrency_limit(limit_key(tag, "tag"))
