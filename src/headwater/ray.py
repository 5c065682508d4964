"""Run a flow's tasks on Ray, as `prefect_ray` does.

Needs the `ray` extra: `pip install 'headwater[ray]'`.

    from headwater import flow, task
    from headwater.ray import RayTaskRunner

    @flow(task_runner=RayTaskRunner(init_kwargs={"num_cpus": 4}))   # or address="ray://host:10001"
    def pipeline(): ...
"""

from headwater.engine.task_runners.ray import RayTaskRunner

__all__ = ["RayTaskRunner"]
