"""Prefect 1's `Webhook` storage: a flow uploaded to, and downloaded from, any HTTP service.

    storage = Webhook(
        build_request_kwargs={"url": "https://files.example/flows/etl", "headers": {"Token": "${FILES_TOKEN}"}},
        build_request_http_method="PUT",
        get_flow_request_kwargs={"url": "https://files.example/flows/etl"},
        get_flow_request_http_method="GET",
    )

Request arguments are those of `requests` (`url`, `headers`, `params`, `data`, ...);
`${NAME}` in their strings is replaced by the environment variable NAME, else the
local secret NAME (`prefect.client.Secret`), when the request is made.
"""

from __future__ import annotations

import string
import warnings
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from headwater.storage.base import Storage

if TYPE_CHECKING:
    from headwater.engine.flows import Flow

__all__ = ["Webhook"]

_METHODS = ("GET", "PATCH", "POST", "PUT")


class _EnvironmentOrSecret(Mapping[str, str]):
    """`${NAME}`: the environment variable NAME, else the local secret NAME."""

    def __getitem__(self, key: str) -> str:
        import os

        from headwater.client.secrets import Secret

        value = os.environ.get(key)
        if value is None:
            try:
                value = Secret(key).get()
            except ValueError as exc:
                raise RuntimeError(f"Template value '{key}' does not refer to an environment variable or Prefect "
                                   "secret.") from exc
        return str(value)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _render(value: Any) -> Any:
    if isinstance(value, str):
        return string.Template(value).substitute(_EnvironmentOrSecret())
    if isinstance(value, dict):
        return {k: _render(v) for k, v in value.items()}
    return value


def _request(method: str, kwargs: dict[str, Any]) -> Any:
    import httpx

    rendered = _render(kwargs)
    data = rendered.pop("data", None)
    timeout = rendered.pop("timeout", 30.0)
    rendered.pop("allow_redirects", None)
    with httpx.Client(timeout=timeout, follow_redirects=True) as client:
        response = client.request(method, content=data if isinstance(data, (bytes, str)) else None,
                                  data=data if isinstance(data, dict) else None, **rendered)
    response.raise_for_status()
    return response


class Webhook(Storage):
    """One flow, pickled (or its source file) and sent with one HTTP request, fetched with another.

    Args:
        build_request_kwargs: the upload request's arguments (the flow becomes its `data`).
        build_request_http_method: "GET", "PATCH", "POST" or "PUT".
        get_flow_request_kwargs: the download request's arguments.
        get_flow_request_http_method: "GET", "PATCH", "POST" or "PUT".
        stored_as_script: upload the source file `flow_script_path` instead of a pickle.
        flow_script_path: the flow's source file.
        **kwargs: `Storage` options.

    Raises:
        RuntimeError: an HTTP method other than those four.
    """

    def __init__(self, build_request_kwargs: dict[str, Any], build_request_http_method: str,
                 get_flow_request_kwargs: dict[str, Any], get_flow_request_http_method: str,
                 stored_as_script: bool = False, flow_script_path: str | None = None, **kwargs: Any) -> None:
        for method in (build_request_http_method, get_flow_request_http_method):
            if method not in _METHODS:
                raise RuntimeError(f"HTTP method '{method}' not recognized")
        self.build_request_kwargs = build_request_kwargs
        self.build_request_http_method = build_request_http_method
        self.get_flow_request_kwargs = get_flow_request_kwargs
        self.get_flow_request_http_method = get_flow_request_http_method
        self.flow_script_path = flow_script_path
        self._build_responses: dict[str, Any] | None = None
        super().__init__(stored_as_script=stored_as_script, **kwargs)

    def add_flow(self, flow: Flow[..., Any]) -> str:
        """Keep `flow` for `build()` (a Webhook holds one flow: it replaces any other)."""
        self.flows = {flow.name: flow.name}
        self._flows = {flow.name: flow}
        return flow.name

    def build(self) -> Webhook:
        """Upload the flow with the build request; its response is kept in `_build_responses`.

        Raises:
            ValueError: `stored_as_script` without a `flow_script_path`.
            httpx.HTTPStatusError: the service answered with an error status.
        """
        import cloudpickle

        self._build_responses = {}
        for flow_name, flow in self._flows.items():
            if self.stored_as_script:
                if not self.flow_script_path:
                    raise ValueError("flow_script_path must be provided if stored_as_script=True")
                with open(self.flow_script_path, "rb") as file:
                    data = file.read()
            else:
                data = cloudpickle.dumps(flow)
            kwargs = dict(self.build_request_kwargs)
            if "data" in kwargs:
                warnings.warn("'data' found in build_request_kwargs. This value is overwritten with the flow "
                              "content and should not be set directly", RuntimeWarning, stacklevel=2)
            kwargs["data"] = data
            self._build_responses[flow_name] = _request(self.build_request_http_method, kwargs)
            self.logger.info(f"Successfully uploaded flow '{flow_name}'")
        return self

    def get_flow(self, flow_name: str) -> Flow[..., Any]:
        """Download the flow with the get-flow request and load it.

        Raises:
            ValueError: no flow of that name is kept here.
            httpx.HTTPStatusError: the service answered with an error status.
        """
        import cloudpickle

        if flow_name not in self.flows:
            raise ValueError("Flow is not contained in this Storage")
        response = _request(self.get_flow_request_http_method, dict(self.get_flow_request_kwargs))
        if not self.stored_as_script:
            loaded: Flow[..., Any] = cloudpickle.loads(response.content)
            return loaded
        import tempfile
        from pathlib import Path

        from headwater.storage.base import flow_from_source

        with tempfile.TemporaryDirectory() as directory:
            script = Path(directory) / "webhook_flow.py"
            script.write_bytes(response.content)
            return flow_from_source(str(script), flow_name)
