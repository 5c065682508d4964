"""headwater's Python client of the control plane, as `prefect.client`.

`get_client()` (async) and `get_client(sync_client=True)` reach the server named by
`HEADWATER_API_URL`, or the embedded database in-process when it is unset. The
models live at Prefect's paths: `headwater.client.schemas.filters`, `.sorting`,
`.objects`, `.actions`, `.responses`. Prefect 1's `Secret` (`Secret("NAME").get()`)
is here too.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PrefectClient", "Secret", "SyncPrefectClient", "get_client"]


def __getattr__(name: str) -> Any:
    if name == "Secret":
        from headwater.client.secrets import Secret

        return Secret
    if name == "Client":  # Prefect 1's API client
        from headwater.client.prefect1 import Client

        return Client
    if name in __all__:
        from headwater.client import orchestration

        return getattr(orchestration, name)
    if name in ("orchestration", "schemas"):  # `import prefect.client` then `prefect.client.schemas.objects`
        import importlib

        return importlib.import_module(f"headwater.client.{name}")
    if name == "secrets":  # `import prefect` then `prefect.client.secrets` (Prefect 1)
        import importlib

        return importlib.import_module("headwater.client.secrets")
    raise AttributeError(f"module 'headwater.client' has no attribute {name!r}")
