"""`headwater_dask`: so that code written for `prefect_dask` runs after a rename.

    from headwater_dask import DaskTaskRunner   # was: from prefect_dask import DaskTaskRunner

Also `get_dask_client` / `get_async_dask_client` (utils) and `PrefectDaskClient`
(client). Needs the `dask` extra: `pip install 'headwater[dask]'`.
"""

from __future__ import annotations

from typing import Any

from headwater.dask import DaskTaskRunner

__all__ = ["DaskTaskRunner", "PrefectDaskClient", "get_async_dask_client", "get_dask_client"]


def __getattr__(name: str) -> Any:
    # distributed is imported only when these are used.
    if name in ("get_dask_client", "get_async_dask_client"):
        from headwater_dask import utils

        return getattr(utils, name)
    if name == "PrefectDaskClient":
        from headwater_dask.client import PrefectDaskClient

        return PrefectDaskClient
    raise AttributeError(f"module 'headwater_dask' has no attribute {name!r}")
