"""Prefect 1's triggers (`prefect.triggers`): when a task of a static flow may run.

A trigger gets the task's upstream states (a dict of edge -> state; mapped upstream
tasks count by their runs) and returns True to run, or raises TRIGGERFAIL (the task
ends TriggerFailed), SKIP or PAUSE. The default is `all_successful`.

    @task(trigger=any_failed)
    def alert(): ...
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from headwater.engine import signals
from headwater.engine.state import Mapped, State

__all__ = ["all_failed", "all_finished", "all_successful", "always_run", "any_failed", "any_successful",
           "manual_only", "not_all_skipped", "some_failed", "some_successful"]

Trigger = Callable[[Mapping[Any, State]], bool]


def _states(upstream_states: Mapping[Any, State]) -> list[State]:
    found: list[State] = []
    for state in upstream_states.values():
        found.extend(state.map_states if isinstance(state, Mapped) else [state])
    return list({id(s): s for s in found}.values())


def all_finished(upstream_states: Mapping[Any, State]) -> bool:
    """Run once every upstream task finished, however it ended."""
    if not all(s.is_finished() for s in _states(upstream_states)):
        raise signals.TRIGGERFAIL('Trigger was "all_finished" but some of the upstream tasks were not finished.')
    return True


always_run = all_finished


def manual_only(upstream_states: Mapping[Any, State]) -> bool:
    """Never run on its own: the task pauses until resumed."""
    from headwater.engine.static.context import context

    if context.get("resume"):
        return True
    raise signals.PAUSE('Trigger function is "manual_only"')


def all_successful(upstream_states: Mapping[Any, State]) -> bool:
    """Run if every upstream task succeeded (skipped counts as success). The default."""
    if not all(s.is_successful() for s in _states(upstream_states)):
        raise signals.TRIGGERFAIL('Trigger was "all_successful" but some of the upstream tasks failed.')
    return True


def all_failed(upstream_states: Mapping[Any, State]) -> bool:
    """Run if every upstream task failed."""
    if not all(s.is_failed() for s in _states(upstream_states)):
        raise signals.TRIGGERFAIL('Trigger was "all_failed" but some of the upstream tasks succeeded.')
    return True


def any_successful(upstream_states: Mapping[Any, State]) -> bool:
    """Run if at least one upstream task succeeded (or there are none)."""
    if upstream_states and not any(s.is_successful() for s in _states(upstream_states)):
        raise signals.TRIGGERFAIL('Trigger was "any_successful" but none of the upstream tasks succeeded.')
    return True


def any_failed(upstream_states: Mapping[Any, State]) -> bool:
    """Run if at least one upstream task failed (or there are none)."""
    if upstream_states and not any(s.is_failed() for s in _states(upstream_states)):
        raise signals.TRIGGERFAIL('Trigger was "any_failed" but none of the upstream tasks failed.')
    return True


def _threshold(kind: str, test: Callable[[State], bool], at_least: float | None,
               at_most: float | None) -> Trigger:
    def trigger(upstream_states: Mapping[Any, State]) -> bool:
        if not upstream_states:
            return True
        states = _states(upstream_states)
        count = sum(1 for s in states if test(s))
        low = 0.0 if at_least is None else (len(states) * at_least if at_least < 1 else at_least)
        high = float(len(states)) if at_most is None else (len(states) * at_most if at_most < 1 else at_most)
        if not low <= count <= high:
            raise signals.TRIGGERFAIL(f'Trigger was "{kind}" but thresholds were not met.')
        return True

    return trigger


def some_failed(at_least: float | None = None, at_most: float | None = None) -> Trigger:
    """A trigger: run if the number (or fraction, below 1) of failed upstream tasks is in range."""
    return _threshold("some_failed", State.is_failed, at_least, at_most)


def some_successful(at_least: float | None = None, at_most: float | None = None) -> Trigger:
    """A trigger: run if the number (or fraction, below 1) of successful upstream tasks is in range."""
    return _threshold("some_successful", State.is_successful, at_least, at_most)


def not_all_skipped(upstream_states: Mapping[Any, State]) -> bool:
    """Run if every upstream task succeeded and not all of them skipped (else skip)."""
    states = _states(upstream_states)
    if all(s.is_skipped() for s in states):
        raise signals.SKIP("All upstreams were skipped", result=None)
    if not all(s.is_successful() for s in states):
        raise signals.TRIGGERFAIL('Trigger was "not_all_skipped" but some of the upstream tasks failed.')
    return True
