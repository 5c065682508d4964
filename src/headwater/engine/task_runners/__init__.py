"""Task runners: where submitted task runs execute.

    ThreadPoolTaskRunner     threads (the default); async tasks share one event loop
    ProcessPoolTaskRunner    processes, functions and arguments shipped with cloudpickle
    DaskTaskRunner           a Dask cluster (headwater.dask, extra `headwater[dask]`)

A runner given to `@flow(task_runner=...)` is a template: each flow run gets its own
copy through `duplicate()`, started when the first task is submitted.
"""

from headwater.engine.task_runners.base import TaskRunner
from headwater.engine.task_runners.processes import ProcessPoolTaskRunner
from headwater.engine.task_runners.threads import ThreadPoolTaskRunner

__all__ = ["ProcessPoolTaskRunner", "TaskRunner", "ThreadPoolTaskRunner"]
