"""Prefect 1's `Local` storage: flows pickled to a directory, or kept as their source file."""

from __future__ import annotations

import os
import re
import socket
from typing import TYPE_CHECKING, Any

from headwater.storage.base import Storage, flow_from_source

if TYPE_CHECKING:
    from headwater.engine.flows import Flow

__all__ = ["Local"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "flow"


class Local(Storage):
    """Flows kept on this machine.

    Args:
        directory: where pickled flows go (default `~/.prefect/flows`, made absolute and created).
        validate: create `directory` now.
        path: the file a flow is kept in: its source file with `stored_as_script=True`,
            else where the pickle is written.
        stored_as_script: keep the flow as its source file `path` instead of a pickle.
        **kwargs: `Storage` options (`labels=`, `add_default_labels=`, ...).
    """

    def __init__(self, directory: str | None = None, validate: bool = True, path: str | None = None,
                 stored_as_script: bool = False, **kwargs: Any) -> None:
        directory = directory if directory is not None else "~/.prefect/flows"
        self.path = path
        if validate:
            directory = os.path.abspath(os.path.expanduser(directory))
            os.makedirs(directory, exist_ok=True)
        self.directory = directory
        super().__init__(stored_as_script=stored_as_script, **kwargs)

    @property
    def default_labels(self) -> list[str]:
        """This machine's host name: runs of a flow pickled here can only start here."""
        return [socket.gethostname()]

    def add_flow(self, flow: Flow[..., Any]) -> str:
        """Keep `flow`: pickle it (now) or note its source file; returns its location.

        Raises:
            ValueError: a flow of that name is already kept here, or `stored_as_script`
                without a `path`.
        """
        import cloudpickle

        from headwater.core.clock import now_datetime

        if flow.name in self:
            raise ValueError(f'Name conflict: Flow with the name "{flow.name}" is already present in this storage.')
        if self.stored_as_script:
            if not self.path:
                raise ValueError("A `path` must be provided to show where flow `.py` file is stored.")
            location = self.path
        else:
            location = self.path or os.path.join(self.directory, _slug(flow.name), _slug(now_datetime().isoformat()))
            os.makedirs(os.path.dirname(os.path.abspath(location)), exist_ok=True)
            with open(location, "wb") as file:
                file.write(cloudpickle.dumps(flow))
        self.flows[flow.name] = location
        self._flows[flow.name] = flow
        return location

    def get_flow(self, flow_name: str) -> Flow[..., Any]:
        """Load the flow kept under `flow_name`: unpickled, or loaded from its source file or module.

        Raises:
            ValueError: no flow of that name is kept here.
        """
        import cloudpickle

        if flow_name not in self.flows:
            raise ValueError("Flow is not contained in this Storage")
        location = self.flows[flow_name]
        if os.path.isfile(location) and not self.stored_as_script:
            with open(location, "rb") as file:
                loaded: Flow[..., Any] = cloudpickle.loads(file.read())
            return loaded
        return flow_from_source(location, flow_name)

    def entrypoint(self, flow_name: str) -> str | None:
        """`path:attribute` for a flow stored as a script (the attribute found by loading it)."""
        if not self.stored_as_script or not self.path:
            return None
        return _entrypoint_in(os.path.abspath(self.path), flow_name)


def _entrypoint_in(source: str, flow_name: str) -> str:
    from headwater.engine.entrypoints import find_flows, load_source

    for attribute, found in find_flows(load_source(source)).items():
        if found.name == flow_name:
            return f"{source}:{attribute}"
    raise ValueError(f"no flow named {flow_name!r} in {source!r}")
