"""Flows, as in `prefect.flows`: the `flow` decorator, `Flow`, and loading a flow from
an entrypoint."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from headwater.engine.flows import Flow, flow

__all__ = [
    "Flow",
    "FlowDecorator",
    "aserve",
    "flow",
    "is_entrypoint_async",
    "load_flow_arguments_from_entrypoint",
    "load_flow_from_entrypoint",
    "load_flow_from_flow_run",
    "load_function_and_convert_to_flow",
    "load_placeholder_flow",
    "safe_load_flow_from_entrypoint",
    "select_flow",
    "serve",
]


@runtime_checkable
class FlowDecorator(Protocol):
    """The type of `flow`: `@flow`, `@flow(...)`, or `flow(fn, ...)` make a `Flow`."""

    def __call__(self, __fn: Any = None, **options: Any) -> Any: ...


def load_flow_from_entrypoint(entrypoint: str, use_placeholder_flow: bool = True) -> Flow[Any, Any]:
    """Load the flow an entrypoint names: `"path/to/file.py:function"` or `"module:function"`.

    Args:
        entrypoint: where the flow is.
        use_placeholder_flow: accepted for Prefect compatibility; a flow that cannot be
            loaded is always an error here.

    Raises:
        EntrypointError: the entrypoint names no loadable flow.
    """
    from headwater.engine.entrypoints import load_flow

    return load_flow(entrypoint)


def serve(*deployments: Any, **options: Any) -> None:
    """Serve deployments made with `flow.to_deployment(...)` in this process (`headwater.serve`)."""
    from headwater.engine.deployments import serve as serve_deployments

    serve_deployments(*deployments, **options)


async def aserve(*deployments: Any, **options: Any) -> None:
    """`serve` for async code: serves the deployments until Ctrl+C or SIGTERM.

    The serving loop runs in the calling thread, so the event loop waits while it serves.
    """
    serve(*deployments, **options)


def _entrypoint_parts(entrypoint: str) -> tuple[str, str]:
    from headwater.engine.entrypoints import split_entrypoint

    return split_entrypoint(entrypoint)


def _function_node(entrypoint: str) -> ast.FunctionDef | ast.AsyncFunctionDef:
    """The definition an entrypoint names, found in its file's syntax tree without running it.

    Raises:
        EntrypointError: no file, or no function of that name at its top level.
    """
    from headwater.exceptions import EntrypointError

    source, name = _entrypoint_parts(entrypoint)
    path = Path(source)
    if not path.is_file():
        import importlib.util

        spec = importlib.util.find_spec(source) if not source.endswith(".py") else None
        if spec is None or spec.origin is None:
            raise EntrypointError(f"no such file or module: {source}")
        path = Path(spec.origin)
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return node
    raise EntrypointError(f"{source} defines no function {name!r} at its top level")


def is_entrypoint_async(entrypoint: str) -> bool:
    """Whether the function an entrypoint names is `async def` (read from the source, not run)."""
    return isinstance(_function_node(entrypoint), ast.AsyncFunctionDef)


def load_flow_arguments_from_entrypoint(entrypoint: str, arguments: list[str] | set[str] | None = None
                                        ) -> dict[str, Any]:
    """The keyword arguments of the `@flow(...)` decorating an entrypoint's function, read
    from the source (values as source text, as Prefect gives them); `name` defaults to
    the function's name.

    Args:
        entrypoint: `path/to/file.py:function` or `module:function`.
        arguments: the keywords to keep (default: all).
    """
    node = _function_node(entrypoint)
    found: dict[str, Any] = {}
    for decorator in node.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        target = decorator.func
        if (isinstance(target, ast.Name) and target.id == "flow") or (
                isinstance(target, ast.Attribute) and target.attr == "flow"):
            for keyword in decorator.keywords:
                if keyword.arg is None or (arguments is not None and keyword.arg not in arguments):
                    continue
                try:
                    value = ast.literal_eval(keyword.value)
                    found[keyword.arg] = value if isinstance(value, str) else str(value)
                except ValueError:
                    found[keyword.arg] = ast.unparse(keyword.value)
    if "name" not in found and (arguments is None or "name" in arguments):
        found["name"] = node.name
    return found


def load_function_and_convert_to_flow(entrypoint: str) -> Flow[Any, Any]:
    """Load the function an entrypoint names and return it as a flow (a flow stays itself)."""
    from headwater.engine.entrypoints import load_source

    source, name = _entrypoint_parts(entrypoint)
    function = getattr(load_source(source), name)
    return function if isinstance(function, Flow) else flow(function)


def load_placeholder_flow(entrypoint: str, raises: Exception) -> Flow[Any, Any]:
    """A flow with the entrypoint's function name that raises `raises` when run (the
    stand-in for a flow whose code cannot be loaded)."""
    _, name = _entrypoint_parts(entrypoint)

    def placeholder(*args: Any, **kwargs: Any) -> Any:
        raise raises

    placeholder.__name__ = placeholder.__qualname__ = name
    return flow(placeholder)


def safe_load_flow_from_entrypoint(entrypoint: str) -> Any:
    """The object an entrypoint names, loaded with only the file's imports and
    definitions run (not its other top-level code); None when it cannot be found."""
    from headwater.utilities.callables import safe_load_namespace

    source, name = _entrypoint_parts(entrypoint)
    path = Path(source)
    if not path.is_file():
        return None
    return safe_load_namespace(path.read_text(), filepath=str(path)).get(name)


def select_flow(flows: Iterable[Flow[Any, Any]], flow_name: str | None = None,
                from_message: str | None = None) -> Flow[Any, Any]:
    """Pick one flow: the one named `flow_name`, or the only one.

    Raises:
        MissingFlowError: no flow, or none named `flow_name`.
        UnspecifiedFlowError: several flows and no `flow_name`.
    """
    from headwater.exceptions import MissingFlowError, UnspecifiedFlowError

    by_name = {f.name: f for f in flows}
    where = f" {from_message}" if from_message else ""
    listed = " ".join(repr(name) for name in by_name)
    if not by_name:
        raise MissingFlowError(f"No flows found{where}.")
    if flow_name is not None:
        if flow_name not in by_name:
            raise MissingFlowError(f"Flow {flow_name!r} not found{where}. Found the following flows: {listed}. "
                                   "Check to make sure that your flow function is decorated with `@flow`.")
        return by_name[flow_name]
    if len(by_name) > 1:
        raise UnspecifiedFlowError(f"Found {len(by_name)} flows{where}: {listed}. "
                                   "Specify a flow name to select a flow.")
    return next(iter(by_name.values()))


async def load_flow_from_flow_run(*args: Any, ignore_storage: bool = False, storage_base_path: str | None = None,
                                  use_placeholder_flow: bool = True, client: Any = None) -> Flow[Any, Any]:
    """Load the flow of a deployment's run: run the deployment's pull steps (a git
    checkout, a directory), then load its entrypoint from there, as a worker's run does.

    Called as Prefect's: `await load_flow_from_flow_run(flow_run)` (a client may come
    first, or as `client=`; the process's own is used otherwise).

    Args:
        ignore_storage: skip the pull steps (the code is already here).
        storage_base_path, use_placeholder_flow: accepted for Prefect's signature.

    Raises:
        ValueError: the run has no deployment, or its deployment no entrypoint.
        StepError, GitError, EntrypointError: the code cannot be fetched or loaded (named).
    """
    import asyncio

    from headwater.client.orchestration import get_client

    flow_run = args[-1] if args else None
    if flow_run is None or getattr(flow_run, "deployment_id", None) is None:
        raise ValueError("Flow run does not have an associated deployment")
    if len(args) > 1:
        client = args[0]

    def load() -> Flow[Any, Any]:
        from headwater.engine.code_source import load_flow_after_pull_steps

        with get_client(sync_client=True) as sync:
            deployment = sync.read_deployment(flow_run.deployment_id)
        if not deployment.entrypoint or deployment.entrypoint == "(no entrypoint)":
            raise ValueError(f"Deployment {deployment.id} does not have an entrypoint and can not be run.")
        return load_flow_after_pull_steps(deployment.entrypoint, None if ignore_storage else deployment.pull_steps)

    del client, storage_base_path, use_placeholder_flow
    return await asyncio.to_thread(load)
