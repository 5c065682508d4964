"""Every exception headwater raises, in one tree.

    HeadwaterError                      anything headwater reports as an error
    ├── ConfigurationError              bad settings, unusable $HEADWATER_HOME
    ├── StoreError                      the run-history database cannot be used
    ├── InvalidDefinitionError          bad options to @task / @flow (also TypeError)
    ├── ParameterValidationError        flow parameters failed validation (also ValueError)
    ├── InvalidStateTransition          a state change the transition table forbids
    ├── ObjectNotFound                  no flow run / task run with that id
    ├── UnfinishedRun                   result() asked of a run that has not finished
    ├── MissingResult                   the result was not kept and cannot be read
    ├── UpstreamTaskError               a task did not run because its upstream failed
    ├── MappingLengthMismatch           Task.map over iterables of different lengths (also ValueError)
    ├── MappingMissingIterable          Task.map with nothing to map over (also ValueError)
    ├── CrashedRun                      the run died for a reason outside user code
    ├── CancelledRun                    the run was cancelled
    ├── TaskRunTimeoutError             a task exceeded timeout_seconds (also TimeoutError)
    └── FlowRunTimeoutError             a flow exceeded timeout_seconds (also TimeoutError)

    HeadwaterSignal (BaseException)     control flow raised *into* user code
    ├── TimeoutSignal                   the run's time is up
    ├── CancellationSignal              the run was cancelled (ends Cancelled, not Crashed)
    └── TerminationSignal               the process was asked to stop (SIGTERM)

Signals derive from BaseException so that a user's `except Exception:` cannot swallow
a time-out or a cancellation; the engine turns them into states.
"""

from __future__ import annotations

__all__ = [
    "CancellationSignal",
    "CancelledRun",
    "ConfigurationError",
    "CrashedRun",
    "FlowRunTimeoutError",
    "HeadwaterError",
    "HeadwaterSignal",
    "InvalidDefinitionError",
    "InvalidStateTransition",
    "MappingLengthMismatch",
    "MappingMissingIterable",
    "MissingResult",
    "ObjectNotFound",
    "ParameterValidationError",
    "StoreError",
    "TaskRunTimeoutError",
    "TerminationSignal",
    "TimeoutSignal",
    "UnfinishedRun",
    "UpstreamTaskError",
]


class HeadwaterError(Exception):
    """Base class of every error headwater raises."""


class ConfigurationError(HeadwaterError):
    """Settings or `$HEADWATER_HOME` cannot be used as given."""


class StoreError(HeadwaterError):
    """The run-history database is missing, corrupt, read-only or unreachable."""


class InvalidDefinitionError(HeadwaterError, TypeError):
    """`@task` / `@flow` was given something it cannot use (a non-callable, `retries=-1`)."""


class ParameterValidationError(HeadwaterError, ValueError):
    """A flow parameter does not match its type hint."""


class InvalidStateTransition(HeadwaterError):
    """The transition table does not allow moving a run between these states."""


class ObjectNotFound(HeadwaterError):
    """No object with the given id exists in the run history."""


class UnfinishedRun(HeadwaterError):
    """The result of a run was asked for before the run reached a final state."""


class MissingResult(HeadwaterError):
    """The run finished but its result was not kept in memory nor persisted."""


class UpstreamTaskError(HeadwaterError):
    """A task was not run because a task it depends on did not complete."""


class MappingLengthMismatch(HeadwaterError, ValueError):
    """`Task.map` was given iterables of different lengths."""


class MappingMissingIterable(HeadwaterError, ValueError):
    """`Task.map` was given no iterable argument to map over."""


class CrashedRun(HeadwaterError):
    """The run stopped for a reason outside user code (process killed, interrupted)."""


class CancelledRun(HeadwaterError):
    """The run was cancelled before it finished."""


class TaskRunTimeoutError(HeadwaterError, TimeoutError):
    """A task run exceeded its `timeout_seconds`."""


class FlowRunTimeoutError(HeadwaterError, TimeoutError):
    """A flow run exceeded its `timeout_seconds`."""


class HeadwaterSignal(BaseException):
    """Control flow raised into user code; not an error the user should catch."""


class TimeoutSignal(HeadwaterSignal):
    """Raised into a running task or flow whose `timeout_seconds` has passed."""


class CancellationSignal(HeadwaterSignal):
    """Raised in the engine's process to stop a run that was cancelled (a worker does
    this on request); the run ends Cancelled and its on_cancellation hooks run."""


class TerminationSignal(HeadwaterSignal):
    """Raised in the engine's process when it receives SIGTERM."""
