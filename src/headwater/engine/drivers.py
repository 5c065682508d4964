"""Thin drivers that carry out the life cycle's instructions: one sync, one async.

Neither decides anything; engine/lifecycle.py does. They differ only in how a call
is made (plain or awaited, and how it is timed out) and how a pause is taken.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Generator, Iterable
from typing import Any

from headwater.core.states import State, StateType
from headwater.engine.context import flow_run_var, task_run_var
from headwater.engine.lifecycle import CALL, TAKE_SLOTS, CallResult, Sleep, lifecycle
from headwater.engine.logging import log_prints_run
from headwater.engine.runs import Run
from headwater.engine.timeouts import TimeLimit, call_async_with_timeout, sync_time_limit

__all__ = ["call_hooks_sync", "run_async", "run_awaitable_sync", "run_generator", "run_sync"]


def run_sync(run: Run) -> State[Any]:
    """Run `run` to a final state in this thread."""
    tokens = _enter(run)
    try:
        gen = lifecycle(run)
        instruction = next(gen)
        while True:
            reply: Any = _call_sync(run) if instruction is CALL else _carry_out_sync(run, instruction)
            instruction = gen.send(reply)
    except StopIteration as stop:
        state: State[Any] = stop.value
    except BaseException as error:  # interrupted between instructions (Ctrl-C during a retry wait)
        run.crash(error)
        raise
    finally:
        _exit(run, tokens)
    if run.reraise is not None:
        raise run.reraise
    return state


async def run_async(run: Run) -> State[Any]:
    """Run `run` to a final state on the running event loop."""
    tokens = _enter(run)
    try:
        gen = lifecycle(run)
        instruction = next(gen)
        while True:
            if instruction is CALL:
                reply: Any = await _call_async(run)
            elif type(instruction) is Sleep:
                await asyncio.sleep(instruction.seconds)
                reply = None
            elif instruction is TAKE_SLOTS:
                from headwater.engine import tag_limits

                reply = run.took_slots(*await tag_limits.acquire_async(run))
            else:
                for hook in instruction.hooks:
                    pending = _call_hook(run, hook, instruction.state)
                    if pending is not None:
                        await _log_hook_errors(run, pending)
                reply = None
            instruction = gen.send(reply)
    except StopIteration as stop:
        state: State[Any] = stop.value
    except BaseException as error:
        run.crash(error)
        raise
    finally:
        _exit(run, tokens)
    if run.reraise is not None:
        raise run.reraise
    return state


def run_generator(run: Run) -> Generator[Any, None, State[Any]]:
    """Run a generator task as Prefect 3 streams one: what its function yields is
    yielded to the caller as the caller iterates, each step executed with `run` as the
    current run; the run ends when the function's generator does (a failure is raised
    to the caller after the run records it). The generator's return value is the
    final state."""
    gen = lifecycle(run)
    tokens = _enter(run)
    try:
        instruction = next(gen)
    finally:
        _exit(run, tokens)
    try:
        while True:
            if instruction is CALL:
                outcome = None
                try:
                    steps = run.fn(*run.args, **run.kwargs)
                except BaseException as error:
                    outcome = CallResult(None, error, None)
                while outcome is None:
                    tokens = _enter(run)
                    try:
                        item = next(steps)
                    except StopIteration as stop:
                        outcome = CallResult(stop.value, None, None)
                        break
                    except BaseException as error:
                        outcome = CallResult(None, error, None)
                        break
                    finally:
                        _exit(run, tokens)
                    yield item
                reply: Any = outcome
            else:
                reply = _carry_out_sync(run, instruction)
            tokens = _enter(run)
            try:
                instruction = gen.send(reply)
            finally:
                _exit(run, tokens)
    except StopIteration as stop:
        state: State[Any] = stop.value
    except BaseException as error:
        run.crash(error)
        raise
    if run.reraise is not None:
        raise run.reraise
    if state.type in (StateType.FAILED, StateType.CRASHED, StateType.CANCELLED):
        raise state.exception()
    return state


def _call_sync(run: Run) -> CallResult:
    timeout = run.options.timeout_seconds
    if timeout is None:
        try:
            return CallResult(run.fn(*run.args, **run.kwargs), None, None)
        except BaseException as error:
            return CallResult(None, error, None)
    limit = TimeLimit(timeout)
    try:
        with sync_time_limit(limit):
            value = run.fn(*run.args, **run.kwargs)
        return CallResult(value, None, limit)
    except BaseException as error:
        return CallResult(None, error, limit)


async def _call_async(run: Run) -> CallResult:
    timeout = run.options.timeout_seconds
    limit = TimeLimit(timeout) if timeout is not None else None
    try:
        result = run.fn(*run.args, **run.kwargs)
        if inspect.isawaitable(result):
            result = await call_async_with_timeout(result, limit)
        return CallResult(result, None, limit)
    except BaseException as error:
        if isinstance(error, asyncio.CancelledError) and limit is None:
            raise
        return CallResult(None, error, limit)


def call_hooks_sync(run: Run, state: State[Any]) -> None:
    """Run `run`'s hooks for `state` in this thread, in order (for runs ended outside a driver)."""
    _run_hooks_sync(run, run.hooks_for(state), state)


def _run_hooks_sync(run: Run, hooks: Iterable[Callable[..., Any]], state: State[Any]) -> None:
    for hook in hooks:  # in order: an async hook finishes before the next starts
        pending = _call_hook(run, hook, state)
        if pending is not None:
            run_awaitable_sync(_log_hook_errors(run, pending))


def _carry_out_sync(run: Run, instruction: Any) -> Any:
    """Carry out, in this thread, an instruction other than CALL; the reply to send back."""
    if type(instruction) is Sleep:
        time.sleep(instruction.seconds)
        return None
    if instruction is TAKE_SLOTS:
        from headwater.engine import tag_limits

        return run.took_slots(*tag_limits.acquire(run))
    _run_hooks_sync(run, instruction.hooks, instruction.state)
    return None


def _call_hook(run: Run, hook: Callable[..., Any], state: State[Any]) -> Awaitable[Any] | None:
    """Call one hook; return the awaitable an async hook produced, else None."""
    try:
        result = hook(run.hook_target(), run, state)
    except Exception:
        run.logger.exception("Hook %r raised; the run's state is unchanged", _name(hook))
        return None
    return result if inspect.isawaitable(result) else None


async def _log_hook_errors(run: Run, awaitable: Awaitable[Any]) -> None:
    try:
        await awaitable
    except Exception:
        run.logger.exception("Hook raised; the run's state is unchanged")


def run_awaitable_sync(awaitable: Awaitable[Any]) -> Any:
    """Run an awaitable (an async hook) to its end from sync code: on a fresh event loop,
    or, beside a running loop, on a fresh loop in a helper thread. Returns its result;
    raises its exception."""
    async def wait() -> Any:
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(wait())
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="headwater-hook") as pool:
        return pool.submit(asyncio.run, wait()).result()


def _enter(run: Run) -> tuple[Any, Any, Any]:
    var = task_run_var if run.is_task else flow_run_var
    token = var.set(run)  # type: ignore[arg-type]  # run.is_task says which: a TaskRun or a FlowRun (no isinstance on the hot path)
    # A run without its own log_prints setting follows the run that called it.
    log_prints = run.options.log_prints
    if log_prints is None:
        log_prints = log_prints_run.get() is not None
    prints_token = log_prints_run.set(run if log_prints else None)
    task_token = task_run_var.set(None) if not run.is_task else None  # a subflow is not inside its caller's task
    return token, prints_token, task_token


def _exit(run: Run, tokens: tuple[Any, Any, Any]) -> None:
    token, prints_token, task_token = tokens
    if task_token is not None:
        task_run_var.reset(task_token)
    log_prints_run.reset(prints_token)
    (task_run_var if run.is_task else flow_run_var).reset(token)


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__name__", repr(fn))
