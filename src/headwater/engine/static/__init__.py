"""Static-graph flows in the Prefect 1 style: `with Flow("name") as flow:`, `Parameter`,
`flow.run()`, `flow.visualize()`, `flow.graph`.

    building.py   the "a with-Flow block is open" context variable and the placeholder base
    nodes.py      Parameter and TaskCall (the nodes), finding/filling placeholders in arguments
    graph.py      GraphBuilder (nodes, edges, cycle checks, run order) and FlowGraph (as data)
    flow.py       StaticFlow: the Flow that `Flow("name")` makes
    execute.py    the flow run's body: submit every call on the task runner, with futures
    results.py    TaskStates: the flow state's result, each task's state by task, node or key
    taskrun.py    one task run's Prefect 1 state pipeline (triggers, signals, retries, loops, caching)
    recording.py  each task call recorded as a headwater task run
    taskapi.py    class-based tasks, Prefect 1 task options and methods (bind, set_upstream, ...)
    operators.py  `a + b`, `a > b`, ... on task results
    context.py    Prefect 1's `prefect.context`
    drawing.py    SVG and Mermaid drawings of a FlowGraph
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["FlowGraph", "FlowGraphNode", "GraphEdge", "Parameter", "StaticFlow", "TaskCall", "TaskStates"]

# Lazy, because engine/tasks.py imports building.py (and so this package) at start-up.
_LAZY = {
    "StaticFlow": "flow",
    "FlowGraph": "graph",
    "FlowGraphNode": "graph",
    "GraphEdge": "graph",
    "Parameter": "nodes",
    "TaskCall": "nodes",
    "TaskStates": "results",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
