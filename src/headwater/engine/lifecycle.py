"""The run life cycle, written once.

`lifecycle(run)` is a generator: it decides what happens next and yields an
instruction whenever something must be *done* that differs between sync and async
code — call the user's function, sleep before a retry, run hooks. The drivers in
engine/drivers.py carry out the instructions and send back the outcome. The same
generator runs every task and every flow, sync or async.

    begin (records, Pending)          ─┐ a final state here (invalid parameters) skips the call
    TAKE_SLOTS (tagged task runs)      │ a tag limit of 0 ends the run here
    Running ── CALL ──> outcome        │
      failed and retries left? ── AwaitingRetry ── SLEEP ──> Retrying ── CALL ...
    final state ── finish (log) ── HOOKS ── end (flush)
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, NamedTuple

from headwater.core.states import State
from headwater.engine.runs import Run
from headwater.engine.timeouts import TimeLimit

__all__ = ["CALL", "TAKE_SLOTS", "CallResult", "Hooks", "Sleep", "lifecycle"]


class _Call:
    """Instruction: call the run's function (under its time limit) and send back a CallResult."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "CALL"


CALL = _Call()


class Sleep(NamedTuple):
    """Instruction: wait this many seconds, then send back None."""

    seconds: float


class _TakeSlots:
    """Instruction: take the run's tag concurrency slots (waiting if needed) and send
    back the refusing state, or None once they are held."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "TAKE_SLOTS"


TAKE_SLOTS = _TakeSlots()


class Hooks(NamedTuple):
    """Instruction: call each hook with (task or flow, run, state); errors are logged."""

    hooks: tuple[Callable[..., Any], ...]
    state: State[Any]


class CallResult(NamedTuple):
    """What a call produced: a value, or the exception it raised, and its time limit."""

    value: Any
    error: BaseException | None
    limit: TimeLimit | None


Instruction = Any  # CALL | Sleep | Hooks


def lifecycle(run: Run) -> Generator[Instruction, Any, State[Any]]:
    """Drive `run` from creation to a final state; returns that state."""
    state: State[Any] | None = run.begin()
    if state is None and run.needs_slots():
        state = yield TAKE_SLOTS
    if state is None:
        while True:
            running = run.set_state(run.running_state())
            if run.options.on_running:
                yield Hooks(run.options.on_running, running)
            outcome: CallResult = yield CALL
            state = run.state_from_outcome(outcome.value, outcome.error, outcome.limit)
            if not run.should_retry(state):
                break
            delay = run.retry_delay()
            run.set_state(run.awaiting_retry(state, delay))
            if delay > 0:
                yield Sleep(delay)
        run.set_state(state)
    run.finish(state)
    hooks = run.hooks_for(state)
    if hooks:
        yield Hooks(hooks, state)
    run.end()
    return state
