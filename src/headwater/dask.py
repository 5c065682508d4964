"""Run a flow's tasks on a Dask cluster, as in `prefect_dask`.

Needs the `dask` extra: `pip install 'headwater[dask]'`.

    from headwater import flow, task
    from headwater.dask import DaskTaskRunner

    @flow(task_runner=DaskTaskRunner(cluster_kwargs={"n_workers": 4}))
    def pipeline(): ...
"""

from headwater.engine.task_runners.dask import DaskTaskRunner

__all__ = ["DaskTaskRunner"]
