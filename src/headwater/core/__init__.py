"""The pure core: states and their transition table, schedules, settings, schemas.

Prefect 1 code imports `Edge`, `Flow`, `Parameter` and `Task` from `prefect.core`;
those names belong to the engine and load only when asked for, so the core itself
imports nothing from the engine.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

_PREFECT1 = {
    "Edge": "headwater.engine.static.taskrun",
    "Flow": "headwater.engine.flows",
    "Parameter": "headwater.engine.static.nodes",
    "Task": "headwater.engine.tasks",
}


def __getattr__(name: str) -> Any:
    module = _PREFECT1.get(name)
    if module is None:
        # `import prefect` then `prefect.core.edge`: Prefect 1 code reaches submodules as attributes.
        if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module 'headwater.core' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
