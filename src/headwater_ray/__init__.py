"""`headwater_ray`: so that code written for `prefect_ray` runs after a rename.

    from headwater_ray import RayTaskRunner   # was: from prefect_ray import RayTaskRunner

Needs the `ray` extra: `pip install 'headwater[ray]'` (Ray itself is imported only
when a flow starts the runner).
"""

from headwater.ray import RayTaskRunner

__all__ = ["RayTaskRunner"]
