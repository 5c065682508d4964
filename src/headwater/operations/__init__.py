"""The control plane's operations, each written once over the store.

`Operations` is what a caller can ask of headwater's control plane: read and filter
flows, flow runs, task runs and logs; change a run's state; manage deployments,
projects, work pools, workers and concurrency limits. Two callers use it: the
server's routes (`headwater.server.api`), and the client's in-process transport
(`headwater.client`), which is how the CLI, the worker, `flow.serve()` and user code
reach the embedded database when no server is configured.

Arguments and results are the pydantic models of `headwater.core`; errors are
headwater's exceptions (`ObjectNotFound`, `ObjectAlreadyExists`,
`InvalidStateTransition`, `ConcurrencyLimitError`, ...), which the server turns into
HTTP statuses and the HTTP transport turns back into the same exceptions.
"""

from __future__ import annotations

from headwater.operations.control import Operations

__all__ = ["Operations"]
