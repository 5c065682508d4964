"""Each call of a static flow's task is recorded as a headwater task run.

The Prefect 1 pipeline (engine/static/taskrun.py) decides whether and how often a
task runs; each actual call goes through `Recorder.invoke`, which runs the task's
function as a task run of the current flow run (logged, timed out, with graph edges
from the runs it depends on), then hands the outcome back as Prefect 1 expects it:
the return value, or the signal or exception raised. Retries are the pipeline's,
so the recorded run itself never retries.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from headwater.core.states import StateType
from headwater.engine.signals import FAIL, LOOP, SKIP, SUCCESS, PrefectStateSignal

__all__ = ["Recorder"]


class _Signalled:
    """What a recorded run returns when the task raised a non-failing signal."""

    def __init__(self, signal: PrefectStateSignal) -> None:
        self.signal = signal


class SignalledFailure(Exception):
    """What a recorded run raises when the task raised a failing signal (FAIL, RETRY, PAUSE)."""

    def __init__(self, signal: BaseException) -> None:
        super().__init__(str(signal))
        self.signal = signal


_shadows: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_shadows_lock = threading.Lock()


def _shadow(task: Any) -> Any:
    """The headwater task that runs `task`'s function once, turning signals into values."""
    with _shadows_lock:
        made = _shadows.get(task)
        if made is not None and made[0] is task.options:
            return made[1]
    from headwater.engine.options import TaskOptions
    from headwater.engine.tasks import Task

    fn = task.fn
    log_stdout = bool(task.options.log_prints)
    logger_name = f"prefect.{task.name}"

    def body(*args: Any, **kwargs: Any) -> Any:
        try:
            if log_stdout:  # Prefect 1's log_stdout: prints go to the task's logger, not the console
                import contextlib
                import logging

                from headwater.engine.logging import get_run_logger
                from headwater.utilities.logging import RedirectToLog

                # the task's Prefect 1 logger (user handlers) and the run's log (console, history)
                sink = RedirectToLog(logging.getLogger(logger_name), get_run_logger())
                with contextlib.redirect_stdout(sink):  # type: ignore[type-var]  # sink writes lines, not a full IO[str]
                    return fn(*args, **kwargs)
            return fn(*args, **kwargs)
        except (SUCCESS, SKIP, LOOP) as signal:
            return _Signalled(signal)
        except PrefectStateSignal as signal:
            raise SignalledFailure(signal) from None

    body.__qualname__ = getattr(fn, "__qualname__", task.name)
    body.__module__ = getattr(fn, "__module__", __name__)
    o = task.options
    # log_stdout redirects prints itself; otherwise prints follow the flow's log_prints (None inherits it).
    shadow = Task(body, TaskOptions(name=task.name, tags=o.tags, log_prints=False if log_stdout else o.log_prints,
                                    timeout_seconds=o.timeout_seconds))
    with _shadows_lock:
        _shadows[task] = (task.options, shadow)
    return shadow


class Recorder:
    """Runs task calls as task runs of the current headwater flow run (when there is one)."""

    def __init__(self) -> None:
        from headwater.engine.context import flow_run_var

        self.flow_run = flow_run_var.get()

    def invoke(self, task: Any, args: tuple[Any, ...], kwargs: dict[str, Any], after: list[tuple[str, str, Any]],
               sink: list[Any]) -> Any:
        """Call `task` with these inputs and return its value.

        Args:
            after: (argument, kind, future) of each recorded run this call depends on (graph edges).
            sink: the recorded run's future is appended here (for later edges).

        Raises:
            whatever the task raised: its exception, or the Prefect 1 signal.
        """
        if self.flow_run is None:
            return task.fn(*args, **kwargs)
        from headwater.engine.drivers import run_sync
        from headwater.engine.futures import HeadwaterFuture, FinalStateSlot
        from headwater.engine.task_runs import TaskRun
        run = TaskRun(_shadow(task), args, kwargs, self.flow_run, self.flow_run.orchestrator)
        # Edges only: the pipeline already decided this call runs, whatever its upstream runs ended in.
        run.announce(tuple(dict.fromkeys((name, future.task_run_id, kind) for name, kind, future in after)))
        state = run_sync(run)
        outcome: FinalStateSlot[Any] = FinalStateSlot()
        outcome.set_result(state)
        future = HeadwaterFuture(run, outcome)
        future.observed = True  # its outcome is reported by the static flow's own states
        sink.append(future)
        if state.type is StateType.COMPLETED:
            value = state.result_sync(raise_on_failure=False)
            if isinstance(value, _Signalled):
                raise value.signal
            return value
        error = state.result_sync(raise_on_failure=False)
        if isinstance(error, SignalledFailure):
            raise error.signal
        if isinstance(error, BaseException):
            raise error
        raise FAIL(state.message or f"task run ended {state.name}")
