"""Prefect 1's signals (`prefect.engine.signals`): raise one in a task to set its state.

    raise SKIP("nothing to do")        # the task ends Skipped; downstream tasks skip too
    raise FAIL("bad input")            # Failed (retried if the task has retries)
    raise LOOP(result=n + 1)           # run again at once; context.task_loop_result == n + 1
    raise SUCCESS("done early")        # Success
    raise RETRY("try later")           # Retrying

Each signal carries the state it stands for (`signal.state`). Signals derive from
BaseException (through the tree's HeadwaterSignal), so `except Exception:` in user
code does not swallow them, as in Prefect 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.engine import state
from headwater.exceptions import HeadwaterSignal

if TYPE_CHECKING:
    from headwater.engine.state import Looped

__all__ = ["ENDRUN", "FAIL", "LOOP", "PAUSE", "PrefectStateSignal", "RETRY", "SKIP", "SUCCESS", "TRIGGERFAIL",
           "VALIDATIONFAIL", "signal_from_state"]


class ENDRUN(HeadwaterSignal):
    """Stop processing a task run; its state is `state` (no retry even if Failed)."""

    def __init__(self, state: state.State) -> None:
        self.state = state
        super().__init__()


class PrefectStateSignal(HeadwaterSignal):
    """A signal that sets the task's state to `_state_cls(message, ...)`.

    Args:
        message: the state's message.
        *args, **kwargs: passed to the state; `result` defaults to the signal itself.
    """

    _state_cls: type[state.State] = state.State

    def __init__(self, message: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(message)
        kwargs.setdefault("result", self)
        self.state = self._state_cls(message, *args, **kwargs)


class FAIL(PrefectStateSignal):
    """The task failed."""

    _state_cls = state.Failed


class TRIGGERFAIL(FAIL):
    """The task's trigger refused its upstream states."""

    _state_cls = state.TriggerFailed


class VALIDATIONFAIL(FAIL):
    """The task's result did not validate."""

    _state_cls = state.ValidationFailed


class SUCCESS(PrefectStateSignal):
    """The task succeeded."""

    _state_cls = state.Success


class RETRY(PrefectStateSignal):
    """Run the task again (a Retrying state)."""

    _state_cls = state.Retrying


class SKIP(PrefectStateSignal):
    """The task skipped; downstream tasks skip too unless `skip_on_upstream_skip=False`."""

    _state_cls = state.Skipped


class PAUSE(PrefectStateSignal):
    """Wait for a manual resume."""

    _state_cls = state.Paused


class LOOP(PrefectStateSignal):
    """Run the task again at once; `result` becomes `context.task_loop_result` in the next run.

    Example:
        >>> @task
        ... def count_up():
        ...     n = context.get("task_loop_result", 0)
        ...     if n < 3:
        ...         raise LOOP(result=n + 1)
        ...     return n
    """

    _state_cls = state.Looped
    state: Looped  # what _state_cls makes

    def __init__(self, message: Any = None, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("result", repr(self))
        super().__init__(message, *args, **kwargs)


def signal_from_state(target: state.State) -> type[PrefectStateSignal]:
    """The signal class that stands for a state class (FAIL for Failed, ...)."""
    for cls in type(target).__mro__:
        for signal in (FAIL, TRIGGERFAIL, VALIDATIONFAIL, SUCCESS, RETRY, SKIP, PAUSE, LOOP):
            if signal._state_cls is cls:
                return signal
    return PrefectStateSignal
