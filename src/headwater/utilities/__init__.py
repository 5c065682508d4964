"""Utilities at Prefect's `prefect.utilities` paths (annotations, callables, collections,
Prefect 1's edges and helpers).

`import prefect` then `prefect.utilities.tasks` (Prefect 1 style) loads the submodule on first use.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any


def __getattr__(name: str) -> Any:
    # `import headwater as prefect; prefect.utilities.callables`: submodules load on first access.
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
