"""Task runners, as in `prefect.task_runners`."""

from headwater.engine.task_runners import TaskRunner, ThreadPoolTaskRunner

__all__ = ["TaskRunner", "ThreadPoolTaskRunner"]
