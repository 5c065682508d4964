"""`headwater_dask`: so that code written for `prefect_dask` runs after a rename.

    from headwater_dask import DaskTaskRunner   # was: from prefect_dask import DaskTaskRunner
"""

from headwater.dask import DaskTaskRunner

__all__ = ["DaskTaskRunner"]
