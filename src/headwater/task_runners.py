"""Task runners, as in `prefect.task_runners`."""

from headwater.engine.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from headwater.engine.task_runners.background import PrefectTaskRunner

__all__ = ["ConcurrentTaskRunner", "PrefectTaskRunner", "ProcessPoolTaskRunner", "TaskRunner", "ThreadPoolTaskRunner"]

ConcurrentTaskRunner = ThreadPoolTaskRunner
"""Prefect 2's name for the thread pool task runner, kept by Prefect 3 as an alias."""
