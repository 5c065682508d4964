"""Concurrency limits, the pure part: names, checks, read models and errors.

A limit is keyed by one string. Global limits use their name as is (`github-api`);
a tag limit on tag `db` is keyed `tag:db`, the convention Prefect 3 uses, so both
kinds share one table and one slot-taking code path. Global names therefore may not
start with `tag:`.

Everything here is shared by the store (which enforces it atomically), the engine,
the CLI and the server, so that every entry point rejects bad input with the same
one-line message.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, computed_field

from headwater.exceptions import (  # noqa: F401 (the one exception tree)
    AcquireConcurrencySlotTimeoutError,
    ConcurrencyLimitError,
    ConcurrencySlotAcquisitionError,
)

__all__ = [
    "TAG_PREFIX",
    "AcquireConcurrencySlotTimeoutError",
    "ConcurrencyLimitError",
    "ConcurrencyLimitInfo",
    "ConcurrencySlotAcquisitionError",
    "MAX_NAME_LENGTH",
    "LimitKind",
    "SlotGrant",
    "SlotHolderInfo",
    "check_decay",
    "check_limit",
    "check_occupy",
    "describe_limit",
    "display_name",
    "kind_of",
    "limit_key",
    "limit_key_of",
    "missing_message",
    "normalize_names",
    "plural_slots",
    "slots_text",
    "waiting_message",
]

LimitKind = Literal["global", "tag"]

TAG_PREFIX = "tag:"
MAX_NAME_LENGTH = 200  # the key column is 255 wide; "tag:" and some margin fit
# Characters that would break the key in a URL path (the server's /limits/{name}) or a shell.
_FORBIDDEN = frozenset("/%&<>?#\\\"'`")


class SlotHolderInfo(BaseModel):
    """One lease holding slots of a limit."""

    model_config = ConfigDict(frozen=True)

    lease_id: str
    slots: int
    holder: dict[str, Any]
    expires: datetime
    created: datetime


class ConcurrencyLimitInfo(BaseModel):
    """A concurrency limit and how many of its slots are taken now.

    `slots_in_use` = `leased_slots` (held by `concurrency()` and tagged task runs,
    until released or their lease expires) + `decaying_slots` (taken by `rate_limit()`,
    flowing back at `slot_decay_per_second`).
    """

    id: str
    name: str
    kind: LimitKind
    limit: int
    slot_decay_per_second: float
    active: bool
    leased_slots: int = 0
    decaying_slots: float = 0.0
    holders: list[SlotHolderInfo] = []
    created: datetime
    updated: datetime

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form
    @property
    def tag(self) -> str | None:
        """The tag of a tag limit, None for a global limit."""
        return self.name[len(TAG_PREFIX):] if self.kind == "tag" else None

    @property
    def display_name(self) -> str:
        """The name people type: the tag for a tag limit, the name otherwise."""
        return display_name(self.name)

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form
    @property
    def slots_in_use(self) -> float:
        """Slots taken now: leased plus still decaying."""
        return self.leased_slots + self.decaying_slots


class SlotGrant(BaseModel):
    """What one attempt to take slots got.

    Attributes:
        granted: the slots were taken (or nothing limited them).
        lease_id: the lease to renew and release; None when nothing was leased
            (a rate limit, or no active limit among the names).
        missing: names with no limit; they never block.
        blocking: when refused, each full limit's (slots in use, limit).
        retry_after: when refused only by decaying slots, seconds until enough decay.
        newest_lease: when refused, when the newest lease on the full limits was
            taken: if it changes between two refusals, slots are changing hands and
            it is worth trying again soon.
    """

    granted: bool
    lease_id: str | None = None
    missing: list[str] = []
    blocking: dict[str, tuple[float, int]] = {}
    retry_after: float | None = None
    newest_lease: float | None = None


def kind_of(key: str) -> LimitKind:
    """Whether the key names a tag limit or a global one."""
    return "tag" if key.startswith(TAG_PREFIX) else "global"


def display_name(key: str) -> str:
    """The name people type for a key: the tag of `tag:<tag>`, the key itself otherwise."""
    return key[len(TAG_PREFIX):] if key.startswith(TAG_PREFIX) else key


def describe_limit(key: str) -> str:
    """`global concurrency limit 'x'` or `tag concurrency limit 'db'`, for messages."""
    return f"{kind_of(key)} concurrency limit {display_name(key)!r}"


def limit_key(name: str, kind: LimitKind = "global") -> str:
    """The key a limit is stored under, after checking the name.

    Raises:
        ConcurrencyLimitError: the name is empty, too long, has surrounding spaces,
            control characters or one of / % & < > ? # \\ " ' `, or (for a global
            limit) starts with `tag:`.
    """
    what = "tag" if kind == "tag" else "concurrency limit name"
    if not isinstance(name, str):
        raise ConcurrencyLimitError(f"a {what} must be a string, not {type(name).__name__} ({name!r})")
    if not name or name.strip() != name:
        raise ConcurrencyLimitError(f"{what} {name!r} is empty or has leading/trailing spaces: give a plain name")
    if len(name) > MAX_NAME_LENGTH:
        raise ConcurrencyLimitError(f"{what} {name[:40]!r}... is {len(name)} characters long; the most is "
                                    f"{MAX_NAME_LENGTH}")
    bad = sorted({c for c in name if c in _FORBIDDEN or not c.isprintable()})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise ConcurrencyLimitError(f"{what} {name!r} contains {shown}, which cannot be used in a limit name; "
                                    "use letters, digits, '-', '_', '.' or ':'")
    if kind == "tag":
        return TAG_PREFIX + name
    if name.startswith(TAG_PREFIX):
        raise ConcurrencyLimitError(f"concurrency limit name {name!r} starts with {TAG_PREFIX!r}, which is reserved "
                                    f"for tag limits: use `headwater concurrency-limit create {name[4:]} N` for a "
                                    "tag limit, or another name")
    return name


def limit_key_of(key: str) -> str:
    """A key as callers pass it (`tag:<tag>` for a tag limit, else a global name), checked.

    Raises:
        ConcurrencyLimitError: the name (or the tag) is not a usable limit name (see `limit_key`).
    """
    if isinstance(key, str) and key.startswith(TAG_PREFIX):
        return limit_key(key[len(TAG_PREFIX):], "tag")
    return limit_key(key)


def normalize_names(names: str | Iterable[str], kind: LimitKind = "global") -> list[str]:
    """Keys for `names` (one name or several), checked, without duplicates, in order."""
    if isinstance(names, str):
        names = [names]
    keys: dict[str, None] = {}
    for name in names:
        keys[limit_key(name, kind)] = None
    return list(keys)


def check_limit(limit: Any, key: str) -> int:
    """A limit is a whole number of slots: >= 1 for a global limit, >= 0 for a tag one.

    A tag limit of 0 is meaningful (tasks with that tag do not run); a global limit
    of 0 could only make every caller wait forever.
    """
    minimum = 0 if kind_of(key) == "tag" else 1
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise ConcurrencyLimitError(f"the limit of {describe_limit(key)} must be a whole number of slots, "
                                    f"not {limit!r}")
    if limit < minimum:
        why = ": a global limit of 0 would make every caller wait forever" if limit == 0 else ""
        raise ConcurrencyLimitError(f"the limit of {describe_limit(key)} must be at least {minimum}, not {limit}{why}")
    return limit


def check_decay(decay: Any, key: str) -> float:
    """`slot_decay_per_second` is a finite number >= 0 (0: slots come back only on release)."""
    if isinstance(decay, bool) or not isinstance(decay, (int, float)) or not math.isfinite(decay) or decay < 0:
        raise ConcurrencyLimitError(f"slot_decay_per_second of {describe_limit(key)} must be a number >= 0 "
                                    f"(0 means slots come back only when released), not {decay!r}")
    return float(decay)


def check_occupy(occupy: Any) -> int:
    """`occupy` is a whole number of slots >= 1."""
    if isinstance(occupy, bool) or not isinstance(occupy, int) or occupy < 1:
        raise ConcurrencyLimitError(f"occupy must be a whole number of slots >= 1, not {occupy!r}")
    return occupy


def slots_text(in_use: float, limit: int) -> str:
    """`60/60 in use`: slots in use rounded up (a slot partly decayed is still taken)."""
    return f"{math.ceil(in_use - 1e-9)}/{limit} in use"


def plural_slots(n: int) -> str:
    """`1 slot`, `2 slots`."""
    return f"{n} slot" if n == 1 else f"{n} slots"


def waiting_message(occupy: int, blocking: dict[str, tuple[float, int]]) -> str:
    """`waiting for 1 slot of 'github-api' (60/60 in use)`."""
    parts = [f"{display_name(key)!r} ({slots_text(used, limit)})" for key, (used, limit) in blocking.items()]
    return f"waiting for {plural_slots(occupy)} of {' and '.join(parts)}"


def missing_message(missing: Sequence[str]) -> str:
    """The warning for names with no limit, saying how to create one."""
    names = ", ".join(repr(display_name(key)) for key in missing)
    first = display_name(missing[0])
    return (f"no concurrency limit named {names}: nothing limits it. Create it with "
            f"`headwater gcl create {first} --limit N`")
