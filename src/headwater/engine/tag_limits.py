"""Tag concurrency limits for task runs (issue 5 fills this in)."""

from __future__ import annotations

from typing import Any

__all__ = ["acquire"]


def acquire(run: Any) -> tuple[Any, Any]:
    """Take slots on the run's tag limits: (lease or None, refusing state or None)."""
    return None, None
