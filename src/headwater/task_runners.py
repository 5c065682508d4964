"""Task runners, as in `prefect.task_runners`."""

from headwater.engine.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

__all__ = ["ProcessPoolTaskRunner", "TaskRunner", "ThreadPoolTaskRunner"]
