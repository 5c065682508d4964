"""Managing concurrency limits from Python: create, read, list, update, delete.

The CLI (`headwater gcl ...`, `headwater concurrency-limit ...`) calls these. They go
through the client's control plane (`headwater.client`), so they act on the embedded
database or, with `HEADWATER_API_URL` set, on the server's.

Global limits are named (`github-api`); tag limits are named by their tag and passed
`kind="tag"`: a task run with that tag runs only while its tag has a free slot.

Example:
    >>> from headwater.concurrency import limits
    >>> limits.create_limit("github-api", 60, slot_decay_per_second=1 / 60, exist_ok=True)
    >>> limits.create_limit("db", 0, kind="tag")     # tasks tagged "db" do not run
    >>> limits.update_limit("github-api", limit=30)
    >>> [(info.display_name, info.limit) for info in limits.list_limits()]
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from headwater.core.limits import (
    ConcurrencyLimitError,
    ConcurrencyLimitInfo,
    LimitKind,
    check_decay,
    check_limit,
    limit_key,
)
from headwater.exceptions import ObjectNotFound

if TYPE_CHECKING:
    from headwater.client.transport import Transport

__all__ = ["create_limit", "delete_limit", "list_limits", "read_limit", "update_limit"]


@contextlib.contextmanager
def _control() -> Iterator[Transport]:
    """The client's control plane for one call; then this process's cache of tag limits is dropped."""
    from headwater.client.transport import open_transport
    from headwater.core.settings import get_settings

    with open_transport(get_settings()) as control:
        yield control
    _forget_tag_limits()


def _forget_tag_limits() -> None:
    """This process's engine caches which tags are limited; a change here is seen at once."""
    import sys

    tag_limits = sys.modules.get("headwater.engine.tag_limits")  # not loaded: nothing cached
    if tag_limits is not None:
        tag_limits.forget_cached_limits()


def create_limit(
    name: str,
    limit: int,
    *,
    slot_decay_per_second: float = 0.0,
    active: bool = True,
    kind: LimitKind = "global",
    exist_ok: bool = False,
) -> ConcurrencyLimitInfo:
    """Create a limit of `limit` slots.

    Args:
        name: the limit's name, or the tag for `kind="tag"`.
        limit: slots at most in use at once: >= 1 (>= 0 for a tag limit, where 0
            means tasks with the tag do not run).
        slot_decay_per_second: how fast slots taken by `rate_limit()` come back;
            0 = only when released.
        active: an inactive limit never blocks.
        kind: "global" or "tag".
        exist_ok: if a limit with this name exists, return it unchanged instead of raising.

    Raises:
        ConcurrencyLimitError: a bad name, limit or decay, or the name is taken
            (without `exist_ok`). Nothing is created.
    """
    key = limit_key(name, kind)
    check_limit(limit, key)
    check_decay(slot_decay_per_second, key)
    with _control() as control:
        try:
            return control.create_concurrency_limit(key, limit, slot_decay_per_second=slot_decay_per_second,
                                                    active=active)
        except ConcurrencyLimitError:
            if exist_ok:
                try:
                    return control.read_concurrency_limit(key)
                except ObjectNotFound:
                    pass
            raise


def read_limit(name: str, *, kind: LimitKind = "global") -> ConcurrencyLimitInfo:
    """A limit with its slots in use and who holds them.

    Raises:
        ObjectNotFound: there is no such limit.
    """
    with _control() as control:
        return control.read_concurrency_limit(limit_key(name, kind))


def list_limits(*, kind: LimitKind | None = "global") -> list[ConcurrencyLimitInfo]:
    """The limits of one kind ("global" or "tag"; None for both), by name."""
    with _control() as control:
        return control.list_concurrency_limits(kind=kind)


def update_limit(
    name: str,
    *,
    limit: int | None = None,
    slot_decay_per_second: float | None = None,
    active: bool | None = None,
    kind: LimitKind = "global",
) -> ConcurrencyLimitInfo:
    """Change what is given; slots already held stay held.

    Raises:
        ObjectNotFound: there is no such limit.
        ConcurrencyLimitError: a bad limit or decay (nothing is changed).
    """
    key = limit_key(name, kind)
    if limit is not None:
        check_limit(limit, key)
    if slot_decay_per_second is not None:
        check_decay(slot_decay_per_second, key)
    with _control() as control:
        return control.update_concurrency_limit(key, limit=limit, slot_decay_per_second=slot_decay_per_second,
                                                active=active)


def delete_limit(name: str, *, kind: LimitKind = "global") -> None:
    """Delete a limit; its holders keep running and their later releases do nothing.

    Raises:
        ObjectNotFound: there is no such limit.
    """
    with _control() as control:
        control.delete_concurrency_limit(limit_key(name, kind))
