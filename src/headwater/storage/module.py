"""Prefect 1's `Module` storage: a flow importable from a module where its runs start."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.storage.base import Storage, flow_from_source

if TYPE_CHECKING:
    from headwater.engine.flows import Flow

__all__ = ["Module"]


class Module(Storage):
    """Flows found by importing `module` (`Module(__name__)` for the current one).

    Args:
        module: the dotted module path (`module:attribute` names one flow exactly).
        **kwargs: `Storage` options (`labels=`, ...).
    """

    def __init__(self, module: str, **kwargs: Any) -> None:
        if not isinstance(module, str) or not module.strip():
            raise TypeError(f"Module(module) takes a dotted module path such as 'etl.flows', got {module!r}")
        self.module = module
        super().__init__(**kwargs)

    def add_flow(self, flow: Flow[..., Any]) -> str:
        """Note that `flow` is found in the module; returns the module path.

        Raises:
            ValueError: a flow of that name is already kept here.
        """
        if flow.name in self:
            raise ValueError(f'Name conflict: Flow with the name "{flow.name}" is already present in this storage.')
        self.flows[flow.name] = self.module
        self._flows[flow.name] = flow
        return self.module

    def get_flow(self, flow_name: str) -> Flow[..., Any]:
        """Import the module and return its flow named `flow_name`.

        Raises:
            ValueError: no flow of that name is kept here or found in the module.
        """
        if flow_name not in self.flows:
            raise ValueError("Flow is not contained in this Storage")
        return flow_from_source(self.module, flow_name)

    def entrypoint(self, flow_name: str) -> str | None:
        """`module:attribute` of the flow (found by importing the module)."""
        from headwater.engine.entrypoints import find_flows, load_source

        if ":" in self.module:
            return self.module
        for attribute, found in find_flows(load_source(self.module)).items():
            if found.name == flow_name:
                return f"{self.module}:{attribute}"
        raise ValueError(f"no flow named {flow_name!r} in module {self.module!r}")
