"""The client's models at Prefect's paths: `filters`, `sorting`, `objects`, `actions`,
`schedules`, `responses`.

`import headwater.client.schemas` then `schemas.objects`: submodules load on first access.
"""

from __future__ import annotations

import importlib
from typing import Any

_SUBMODULES = ("actions", "filters", "objects", "responses", "schedules", "sorting")


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
