"""Time limits for running user code.

Sync code in the main thread is interrupted by SIGALRM (`setitimer`), which also
breaks out of blocking calls such as `time.sleep`. Sync code in any other thread is
interrupted by raising an exception into that thread (`PyThreadState_SetAsyncExc`):
it takes effect at the next Python bytecode, so a C call that blocks (a long
`time.sleep`, a socket read without a timeout) finishes first. Async code is
cancelled through its event loop.

Each limit raises its own subclass of `TimeoutSignal`, so nested limits (a task's
inside its flow's) can tell whose time ran out. Signals derive from BaseException:
a user's `except Exception:` does not swallow them.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import signal
import threading
import time
from collections.abc import Awaitable, Iterator
from typing import Any, TypeVar

from headwater.exceptions import TimeoutSignal

__all__ = ["TimeLimit", "call_async_with_timeout", "sync_time_limit"]

T = TypeVar("T")


class TimeLimit:
    """A deadline and the signal class that reports it ran out."""

    __slots__ = ("seconds", "deadline", "signal_class")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.signal_class: type[TimeoutSignal] = type("TimeoutSignal", (TimeoutSignal,), {})

    def owns(self, exc: BaseException) -> bool:
        """Return whether `exc` is this limit's signal."""
        return isinstance(exc, self.signal_class)


# Limits active in the main thread, innermost last; SIGALRM fires for the earliest.
_main_limits: list[TimeLimit] = []


def _on_alarm(signum: int, frame: Any) -> None:
    now = time.monotonic()
    expired = [limit for limit in _main_limits if limit.deadline <= now + 0.001]
    if expired:
        # The outermost expired limit wins: everything inside it stops too.
        raise expired[0].signal_class(f"timed out after {expired[0].seconds} second(s)")
    _arm_main_timer()


def _arm_main_timer() -> None:
    if _main_limits:
        remaining = min(limit.deadline for limit in _main_limits) - time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, max(remaining, 0.0001))
    else:
        signal.setitimer(signal.ITIMER_REAL, 0)


def sync_time_limit(limit: TimeLimit) -> contextlib.AbstractContextManager[None]:
    """Raise `limit`'s signal in the current thread when its deadline passes."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _main_thread_limit(limit)
    return _thread_limit(limit)


@contextlib.contextmanager
def _main_thread_limit(limit: TimeLimit) -> Iterator[None]:
    previous = None
    if not _main_limits:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
    _main_limits.append(limit)
    _arm_main_timer()
    try:
        yield
    finally:
        _main_limits.remove(limit)
        _arm_main_timer()
        if not _main_limits and previous is not None:
            signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _thread_limit(limit: TimeLimit) -> Iterator[None]:
    thread_id = threading.get_ident()
    done = threading.Event()
    lock = threading.Lock()
    injected = []

    def interrupt() -> None:
        if not done.wait(limit.seconds):
            with lock:
                if not done.is_set():
                    injected.append(True)
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(thread_id), ctypes.py_object(limit.signal_class)
                    )

    watchdog = threading.Thread(target=interrupt, name="headwater-timeout", daemon=True)
    watchdog.start()
    try:
        yield
    finally:
        with lock:
            done.set()
            if injected:
                # If the user code returned just as the signal was queued, drop it
                # rather than let it go off inside the engine.
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)


async def call_async_with_timeout(awaitable: Awaitable[T], limit: TimeLimit | None) -> T:
    """Await `awaitable`, cancelling it and raising the limit's signal when time is up."""
    if limit is None:
        return await awaitable
    task = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({task}, timeout=max(limit.deadline - time.monotonic(), 0))
    if task in done:
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    raise limit.signal_class(f"timed out after {limit.seconds} second(s)")
