"""`headwater_dask.task_runners`, as `prefect_dask.task_runners`: the Dask task runner
and the futures it returns.

    from headwater_dask.task_runners import DaskTaskRunner

headwater's task runners all return the same future class (`.result()`, `.wait()`,
`.state`, `.task_run_id`), so `PrefectDaskFuture` is that class: a future of a task
run submitted to a `DaskTaskRunner` is an instance of it.
"""

from headwater.engine.futures import HeadwaterFuture as PrefectDaskFuture
from headwater.engine.task_runners.dask import DaskTaskRunner

__all__ = ["DaskTaskRunner", "PrefectDaskFuture"]
