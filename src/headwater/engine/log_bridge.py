"""Run log records reach the handlers users attach to the `prefect` logger or to root.

In Prefect 3 the run loggers (`prefect.flow_runs`, `prefect.task_runs`, ...) propagate
to `prefect` and on to the root logger, where Prefect's console handler sits. Code
written for Prefect therefore collects run logs with

    logging.getLogger("prefect").addHandler(my_handler)     # or logging.getLogger()

headwater logs under `headwater.*` with `propagate=False` and its own console handler
(engine/logging.py), so those handlers would hear nothing. `PrefectNameBridge`, the last
handler of the `headwater` logger, hands each record on as if it had been logged under
the Prefect name (`headwater.task_runs` -> `prefect.task_runs`): to the handlers of that
logger, of its parents up to `prefect`, and of root, stopping where a logger does not
propagate, with each handler's level and filters honoured (what `Logger.callHandlers`
does). The handlers receive a copy of the record whose `name` is the Prefect name.

Root's handlers that write to the terminal (a `StreamHandler` on stdout or stderr, as
`logging.basicConfig()` adds) are skipped while headwater's console handler is on:
headwater's console already shows the line, as Prefect's console handler on root does
(where such a `basicConfig()` call adds nothing, root having a handler already).

Records of Prefect 1 flows (`with Flow(...)`, engine/static/) are not handed on: that
layer already logs its lines under Prefect 1's own names (`prefect.TaskRunner`,
`prefect.<task name>`, ...), which propagate as usual.

Cost when nobody attached a handler: a few dictionary look-ups per record, and no
allocation.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

__all__ = ["PrefectNameBridge", "prefect_name"]

_OURS = "headwater"
_THEIRS = "prefect"


def prefect_name(name: str) -> str:
    """The Prefect name of a headwater logger name (`headwater.x` -> `prefect.x`).

    Example:
        >>> prefect_name("headwater.task_runs")
        'prefect.task_runs'
    """
    if name == _OURS or name.startswith(_OURS + "."):
        return _THEIRS + name[len(_OURS):]
    return name


def _chain(name: str) -> tuple[str, ...]:
    """The Prefect names a record logged as `name` propagates through, innermost first
    (root excluded): `headwater.task_runs` -> ("prefect.task_runs", "prefect")."""
    theirs = prefect_name(name)
    parts = theirs.split(".")
    return tuple(".".join(parts[:end]) for end in range(len(parts), 0, -1))


class PrefectNameBridge(logging.Handler):
    """Deliver records of the `headwater` loggers to the handlers of their Prefect-named
    twins and of root (see the module docstring).

    Args:
        console_on: headwater's console handler shows the records; root's terminal
            stream handlers are then skipped so no line prints twice.
    """

    def __init__(self, console_on: bool) -> None:
        super().__init__()
        self.console_on = console_on
        self._chains: dict[str, tuple[str, ...]] = {}
        self._loggers = logging.Logger.manager.loggerDict
        self._root = logging.getLogger()

    def handle(self, record: logging.LogRecord) -> bool:
        # Without this handler's lock: it keeps no state of its own per record, and
        # each receiving handler takes its own lock in its `handle`.
        if self.filters and not self.filter(record):
            return False
        self.emit(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        """Hand a copy of `record`, under its Prefect name, to every handler listening there.

        Walks the handlers in place (no list per record) and makes the copy only once a
        handler is to take it: a root logger whose only handler writes to the terminal
        (as `logging.basicConfig()` leaves it) costs no allocation."""
        chain = self._chains.get(record.name)
        if chain is None:
            chain = self._chains[record.name] = _chain(record.name)
        twin: logging.LogRecord | None = None
        loggers = self._loggers
        for logger_name in chain:
            logger = loggers.get(logger_name)
            if logger is None or not isinstance(logger, logging.Logger):  # never created, or a PlaceHolder
                continue
            for handler in logger.handlers:
                if twin is None:
                    twin = _twin(record)
                    if twin is None:
                        return
                if twin.levelno >= handler.level:  # as Logger.callHandlers: the handler's level, then its filters
                    handler.handle(twin)
            if not logger.propagate:
                return
        console_on = self.console_on
        for handler in self._root.handlers:
            if console_on and _writes_to_terminal(handler):
                continue
            if twin is None:
                twin = _twin(record)
                if twin is None:
                    return
            if twin.levelno >= handler.level:
                handler.handle(twin)


def _twin(record: logging.LogRecord) -> logging.LogRecord | None:
    """The copy of `record` to hand on, or None for a record of a Prefect 1 flow."""
    return None if _from_prefect1_flow(record) else _renamed(record)


def _renamed(record: logging.LogRecord) -> logging.LogRecord:
    """A shallow copy of `record` under its Prefect name: the original keeps its name
    for headwater's own handlers, and a receiver that stores records keeps a stable one.
    It carries the run fields Prefect's run loggers add (`flow_run_name`, `task_run_name`,
    ...), so a user's format string naming them works; fields given in `extra` win."""
    twin = logging.LogRecord.__new__(type(record))
    run = getattr(record, "hw_run", None)
    if run is not None:
        twin.__dict__.update(_run_fields(run))
    twin.__dict__.update(record.__dict__)
    twin.name = prefect_name(record.name)
    return twin


def _run_fields(run: Any) -> dict[str, Any]:
    if not run.is_task:
        return {"flow_run_name": run.name, "flow_run_id": run.id, "flow_name": getattr(run.flow, "name", "<unknown>")}
    flow_run = run.flow_run
    return {
        "task_run_id": run.id,
        "flow_run_id": flow_run.id if flow_run is not None else None,
        "task_run_name": run.name,
        "task_name": getattr(run.task, "name", "<unknown>"),
        "flow_run_name": flow_run.name if flow_run is not None else "<unknown>",
        "flow_name": getattr(flow_run.flow, "name", "<unknown>") if flow_run is not None else "<unknown>",
    }


def _from_prefect1_flow(record: logging.LogRecord) -> bool:
    """Whether `record` belongs to a run of a Prefect 1 `Flow` (or one of its task runs):
    a flow whose `fails_on_upstream_failure` is set, the flag that marks Prefect 1's rules
    (engine/flows.py, StaticFlow)."""
    run = getattr(record, "hw_run", None)
    if run is None:
        return False
    flow = getattr(run.flow_run, "flow", None) if run.is_task else getattr(run, "flow", None)
    return bool(getattr(flow, "fails_on_upstream_failure", False))


def _writes_to_terminal(handler: logging.Handler) -> bool:
    """A stream handler on stdout or stderr (a file handler is a stream handler too, but not one)."""
    if not isinstance(handler, logging.StreamHandler) or isinstance(handler, logging.FileHandler):
        return False
    stream = handler.stream
    return stream is sys.stderr or stream is sys.stdout or stream is sys.__stderr__ or stream is sys.__stdout__
