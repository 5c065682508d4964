"""What the v1 `concurrency` context managers ask for: one slot of each limited tag."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from headwater.core.limits import TAG_PREFIX, ConcurrencyLimitError
from headwater.engine.concurrency import SlotRequest, describe_holder

__all__ = ["tag_slot_request"]


def tag_slot_request(names: str | list[str], task_run_id: UUID | str | None,
                     timeout_seconds: float | None) -> SlotRequest | None:
    """The request for one slot of each named tag that has a limit (None: none has one).

    Raises:
        ConcurrencyLimitError: a named tag's limit is 0, so it can never be taken.
    """
    from headwater.orchestrator import get_orchestrator

    tags = [names] if isinstance(names, str) else list(names)
    if not tags:
        return None
    orchestrator: Any = get_orchestrator()
    limits = {info.name[len(TAG_PREFIX):]: info.limit
              for info in orchestrator.list_concurrency_limits(kind="tag", with_holders=False) if info.active}
    limited = [tag for tag in dict.fromkeys(tags) if tag in limits]
    if not limited:
        return None
    closed = [tag for tag in limited if limits[tag] == 0]
    if closed:
        raise ConcurrencyLimitError(f"tag {closed[0]!r} has a concurrency limit of 0: its slots can never be taken")
    holder = describe_holder()
    if task_run_id is not None:
        holder["task_run_id"] = str(task_run_id)
    return SlotRequest(keys=[TAG_PREFIX + tag for tag in limited], occupy=1,
                       lease_seconds=orchestrator.settings.concurrency_lease_seconds,
                       timeout_seconds=timeout_seconds, orchestrator=orchestrator, holder=holder)
