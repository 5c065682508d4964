"""Tasks, as in `prefect.tasks`: the `task` decorator, `Task` and retry helpers."""

from headwater.cache_policies import task_input_hash
from headwater.engine.retries import exponential_backoff
from headwater.engine.tasks import Task, task

__all__ = ["Task", "exponential_backoff", "task", "task_input_hash"]
