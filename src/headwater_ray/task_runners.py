"""`headwater_ray.task_runners`, as `prefect_ray.task_runners`: the Ray task runner and
the futures it returns (headwater's one future class, as for every runner)."""

from headwater.engine.futures import HeadwaterFuture as PrefectRayFuture
from headwater.engine.task_runners.ray import RayTaskRunner

__all__ = ["PrefectRayFuture", "RayTaskRunner"]
