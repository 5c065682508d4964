"""What a static flow has besides its graph: drawing it, and Prefect 1's registering.

`flow.run_config` (`headwater.run_configs`) and `flow.storage` (`headwater.storage`)
say, as in Prefect 1, how a registered flow's runs start and where its code is found;
`flow.register()` reads both, and a worker's run applies the run config.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from headwater.core.states import State
from headwater.exceptions import InvalidDefinitionError

if TYPE_CHECKING:
    from headwater.engine.static.graph import FlowGraph

__all__ = ["RegisteringMixin"]

# Prefect 1 flow.register(...) options that have no meaning here; accepted so old calls keep working.
_REGISTER_IGNORED = {"set_schedule_active", "version_group_id", "no_url", "idempotency_key",
                     "add_default_labels"}


class RegisteringMixin:
    """`visualize`, `register`, and the `run_config` / `storage` a static flow carries."""

    name: str
    if TYPE_CHECKING:
        @property
        def graph(self) -> FlowGraph: ...  # the static flow's
    _run_config: Any = None
    _storage: Any = None

    @property
    def run_config(self) -> Any:
        """How a registered flow's runs start (`LocalRun`, `UniversalRun`), or None."""
        return self._run_config

    @run_config.setter
    def run_config(self, value: Any) -> None:
        from headwater.run_configs import RunConfig

        if value is not None and not isinstance(value, RunConfig):
            raise InvalidDefinitionError(
                f"run_config must be a RunConfig such as LocalRun(env=..., working_dir=...) (headwater.run_configs), "
                f"got {value!r}"
            )
        self._run_config = value

    @property
    def storage(self) -> Any:
        """Where a registered flow's code is found (`Local`, `Module`, `Webhook`), or None."""
        return self._storage

    @storage.setter
    def storage(self, value: Any) -> None:
        from headwater.storage import Storage

        if value is not None and not isinstance(value, Storage):
            raise InvalidDefinitionError(
                f"storage must be a Storage such as Module(__name__) or Local() (headwater.storage), got {value!r}"
            )
        self._storage = value

    def apply_run_config(self) -> None:
        """In a worker's run process, put the run config in effect (env, working_dir) before tasks run.

        `flow.run()` in the user's own process leaves it alone, as Prefect 1 does.
        """
        from headwater.engine.deployments import in_worker_child

        if self._run_config is not None and in_worker_child():
            self._run_config.apply()

    # -- drawing and registering ---------------------------------------------------------
    def visualize(self, flow_state: Any = None, filename: str | Path | None = None,
                  format: str = "svg") -> str:
        """Draw the graph without running it: SVG (drawn by headwater) or Mermaid text.

        Args:
            flow_state: colour each node by its state in this run (from flow.run()).
            filename: also write the drawing there (".svg" / ".mmd" added if it has no suffix).
            format: "svg" or "mermaid". No Graphviz is needed for either.

        Returns:
            The SVG document or the Mermaid text.

        Raises:
            InvalidDefinitionError: an unsupported format, named.
        """
        from headwater.engine.static.drawing import draw_mermaid, draw_svg

        if format not in ("svg", "mermaid"):
            raise InvalidDefinitionError(
                f"visualize(format={format!r}) is not supported: headwater draws 'svg' (no Graphviz needed) "
                "or 'mermaid' text; convert the SVG with any image tool if you need another format"
            )
        states = {node.key: _as_headwater(state) for node, state in flow_state.result.items()} if flow_state else None
        graph = self.graph
        text = draw_svg(graph, states) if format == "svg" else draw_mermaid(graph, states)
        if filename is not None:
            path = Path(filename)
            if not path.suffix:
                path = path.with_name(path.name + (".svg" if format == "svg" else ".mmd"))
            path.write_text(text, encoding="utf-8")
        return text

    def register(self, project_name: str | None = None, build: bool = True, *, create_project: bool = False,
                 labels: list[str] | None = None, **prefect1_options: Any) -> str:
        """Create or update a deployment of this flow in a project (Prefect 1's flow.register).

        The deployment is named after the flow and runs on the default work pool:
        start a worker with `headwater agent local start` (or `headwater worker start`)
        and run it with `headwater deployment run 'FLOW/FLOW' -p name=value`. With
        `flow.storage = Module(...)` (or `Local(path=..., stored_as_script=True)`) the
        worker loads the flow from there; otherwise from the file that defines it.

        Args:
            project_name: the project; it must exist (`headwater project create NAME`)
                unless `create_project=True`.
            create_project: create the project if it does not exist.
            build: build the flow's storage first (`flow.storage.build()`), as Prefect 1 does.
            labels: tags for the deployment's runs (Prefect 1 labels), with the run config's.
            **prefect1_options: Prefect 1 options with no meaning here (`build`,
                `set_schedule_active`, `idempotency_key`, ...) are accepted and ignored.

        Returns:
            The deployment's id ("" when loaded by a worker to run it: no re-registering).

        Raises:
            ObjectNotFound: the project does not exist, saying how to create it.
            HeadwaterError: no project_name given.
            InvalidDefinitionError: an option Prefect 1's register did not have either.
        """
        import sys

        from headwater.engine.deployments import in_worker_child, register_static

        unknown = sorted(set(prefect1_options) - _REGISTER_IGNORED)
        if unknown:
            raise InvalidDefinitionError(
                f"flow.register() got unknown option(s) {', '.join(map(repr, unknown))}; it takes project_name=, "
                "create_project= and labels="
            )
        caller = sys._getframe(1).f_globals  # where the flow is a module-level name: the deployment's entrypoint
        entrypoint = None
        pull_steps = None
        if self.storage is not None:
            if self.name not in self.storage:
                self.storage.add_flow(self)
            if build and not in_worker_child():
                self.storage.build()
            entrypoint = self.storage.entrypoint(self.name)
            pull_steps = self.storage.pull_steps() if hasattr(self.storage, "pull_steps") else None
        tags = sorted({*(labels or ()), *(self.run_config.labels if self.run_config is not None else ())})
        flow: Any = self  # a StaticFlow, which is a Flow
        return register_static(flow, project_name, create_project=create_project, caller_globals=caller,
                               labels=tags or None, entrypoint=entrypoint, pull_steps=pull_steps)


def _as_headwater(state: Any) -> State[Any]:
    """A Prefect 1 state as the headwater state type drawings colour by."""
    from headwater.core.states import StateType

    kind = (StateType.FAILED if state.is_failed() else StateType.COMPLETED if state.is_successful()
            else StateType.CANCELLED if type(state).__name__ == "Cancelled" else StateType.SCHEDULED
            if state.is_scheduled() else StateType.PENDING if state.is_pending() else StateType.RUNNING
            if state.is_running() else StateType.COMPLETED)
    return State(kind)
