"""Static-graph flows in the Prefect 1 style: `with Flow("name") as flow:`, `Parameter`,
`flow.run()`, `flow.visualize()`, `flow.graph`.

    building.py   the "a with-Flow block is open" context variable and the placeholder base
    nodes.py      Parameter and TaskCall (the nodes), finding/filling placeholders in arguments
    graph.py      GraphBuilder (nodes, edges, cycle checks, run order) and FlowGraph (as data)
    flow.py       StaticFlow: the Flow that `Flow("name")` makes
    execute.py    the flow run's body: submit every call on the task runner, with futures
    results.py    FlowState / TaskState: what flow.run() returns, read as in Prefect 1
    drawing.py    SVG and Mermaid drawings of a FlowGraph
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["FlowGraph", "FlowState", "GraphEdge", "GraphNode", "Parameter", "StaticFlow", "TaskCall", "TaskState",
           "TaskStates"]

# Lazy, because engine/tasks.py imports building.py (and so this package) at start-up.
_LAZY = {
    "StaticFlow": "flow",
    "FlowGraph": "graph",
    "GraphEdge": "graph",
    "GraphNode": "graph",
    "Parameter": "nodes",
    "TaskCall": "nodes",
    "FlowState": "results",
    "TaskState": "results",
    "TaskStates": "results",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
