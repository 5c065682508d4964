"""Prefect 1's agents (`prefect.agent`): `LocalAgent` (in `.local`) is a headwater worker of
the default work pool, where `flow.register()` puts static flows' deployments.

Agents for Docker, Kubernetes, ECS and Vertex are not here: headwater's worker starts
local processes.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any


def __getattr__(name: str) -> Any:
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'headwater.agent' has no attribute {name!r}")
