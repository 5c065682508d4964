"""`Storage`: the base of Prefect 1's flow storage classes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.engine.flows import Flow

__all__ = ["Storage", "flow_from_source"]


class Storage:
    """Keeps flows by name (`flows`: name -> location) and loads them back.

    Args:
        result: accepted for Prefect 1 compatibility (where results of these flows go).
        secrets: names of secrets the flow's runs need (kept, for information).
        labels: labels for the flow's runs.
        add_default_labels: add the storage's own labels (Local: this machine's host name);
            default `prefect.config.flows.defaults.storage.add_default_labels`.
        stored_as_script: whether the flow is kept as its source file rather than pickled.
    """

    def __init__(self, result: Any = None, secrets: list[str] | None = None, labels: list[str] | None = None,
                 add_default_labels: bool | None = None, stored_as_script: bool = False) -> None:
        self.result = result
        self.secrets = list(secrets or [])
        self._labels = list(labels or [])
        if add_default_labels is None:
            from headwater.engine.static import config as config_module

            add_default_labels = bool(config_module.config.get_nested(
                "flows.defaults.storage.add_default_labels", True))
        self.add_default_labels = add_default_labels
        self.stored_as_script = stored_as_script
        self.flows: dict[str, str] = {}
        self._flows: dict[str, Flow[..., Any]] = {}

    @property
    def labels(self) -> list[str]:
        """The given labels, plus the default ones when `add_default_labels`."""
        if not self.add_default_labels:
            return list(self._labels)
        return list({*self._labels, *self.default_labels})

    @property
    def default_labels(self) -> list[str]:
        """This storage's own labels (none here)."""
        return []

    @property
    def name(self) -> str:
        """The storage class's name."""
        return type(self).__name__

    @property
    def logger(self) -> logging.Logger:
        """The `prefect.<Storage class>` logger."""
        return logging.getLogger(f"prefect.{type(self).__name__}")

    def add_flow(self, flow: Flow[..., Any]) -> str:
        """Keep `flow`; returns its location.

        Raises:
            NotImplementedError: on the base class.
        """
        raise NotImplementedError(f"{type(self).__name__} does not store flows; use Local, Module or Webhook")

    def get_flow(self, flow_name: str) -> Flow[..., Any]:
        """Load the flow kept under `flow_name`.

        Raises:
            NotImplementedError: on the base class.
        """
        raise NotImplementedError(f"{type(self).__name__} does not store flows; use Local, Module or Webhook")

    def build(self) -> Storage:
        """Make the storage ready (write or upload what it keeps); returns itself."""
        self.run_basic_healthchecks()
        return self

    def run_basic_healthchecks(self) -> None:
        """Checks made before building (none on the base class)."""

    def entrypoint(self, flow_name: str) -> str | None:
        """Where a worker loads the flow from (`file.py:name` or `module:name`), if this storage says."""
        return None

    def serialize(self) -> dict[str, Any]:
        """The storage as data: its type, flows and labels."""
        return {"type": type(self).__name__, "flows": dict(self.flows), "secrets": list(self.secrets),
                "stored_as_script": self.stored_as_script}

    def __contains__(self, obj: Any) -> bool:
        """Whether a flow of that name is kept here."""
        return isinstance(obj, str) and obj in self.flows

    def __repr__(self) -> str:
        return f"<Storage: {type(self).__name__}>"


def flow_from_source(source: str, flow_name: str | None) -> Flow[..., Any]:
    """The flow named `flow_name` in a file or module (`source`, or `source:attribute`).

    Raises:
        ValueError: no such flow there (the message lists the flows found).
    """
    from headwater.engine.entrypoints import find_flows, load_flow, load_source

    if ":" in source.rpartition("/")[2]:  # `module:attribute` / `file.py:attribute`
        found = load_flow(source)
        if flow_name is not None and found.name != flow_name:
            raise ValueError(f"Flow at {source!r} is named {found.name!r}, expected {flow_name!r}")
        return found
    flows = {f.name: f for f in find_flows(load_source(source)).values()}
    if flow_name is None and len(flows) == 1:
        return next(iter(flows.values()))
    if flow_name not in flows:
        raise ValueError(f"no flow named {flow_name!r} in {source!r}; it has: {', '.join(map(repr, flows)) or 'none'}")
    return flows[flow_name]
