"""Tasks, as in `prefect.tasks`: the `task` decorator, `Task` and retry helpers.

Prefect 1's task library lives in the submodules (`control_flow`, `core`, `database`,
`secrets`, `shell`, `templates`); `import prefect` then `prefect.tasks.shell` loads one
on first use.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from headwater.cache_policies import task_input_hash
from headwater.engine.retries import exponential_backoff
from headwater.engine.tasks import Task, task

__all__ = ["NUM_CHARS_DYNAMIC_KEY", "MaterializingTask", "Task", "exponential_backoff", "task", "task_input_hash"]

NUM_CHARS_DYNAMIC_KEY = 8
"""How many hex digits of a task's code hash its `task_key` ends with (`fetch-1a2b3c4d`), as in Prefect."""


def __getattr__(name: str) -> Any:
    if name == "MaterializingTask":  # loaded on first use: it brings the asset models
        from headwater.assets.materialize import MaterializingTask

        return MaterializingTask
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'headwater.tasks' has no attribute {name!r}")
