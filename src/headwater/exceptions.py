"""Every exception headwater raises, in one tree.

    HeadwaterError                      anything headwater reports as an error
    ├── ConfigurationError              bad settings, unusable $HEADWATER_HOME
    │   └── ProfileSettingsValidationError   a profile's settings are not valid
    ├── MissingProfileError             no profile of that name (also ValueError)
    ├── ReservedArgumentError           a parameter name headwater reserves (also TypeError)
    ├── FlowRunWaitTimeout              a flow run did not finish within the time waited
    ├── FlowPauseTimeout                a paused flow run was not resumed in time
    ├── NotPausedError                  resume asked of a run that is not paused
    ├── StoreError                      the run-history database cannot be used
    ├── InvalidDefinitionError          bad options to @task / @flow (also TypeError)
    │   └── InvalidNameError            a flow name with a character Prefect refuses (also ValueError)
    ├── ParameterValidationError        flow parameters failed validation (also ValueError)
    │   ├── ParameterTypeError          a parameter does not match its type hint
    │   └── ParameterBindError          the call does not fit the flow's signature (also SignatureMismatchError)
    ├── SignatureMismatchError          arguments that do not fit a function's signature (also TypeError)
    ├── InvalidStateTransition          a state change the transition table forbids
    ├── ObjectNotFound                  no flow run / task run with that id
    ├── MissingContextError             asked for the current run outside any run (also RuntimeError)
    ├── UnfinishedRun                   result() asked of a run that has not finished
    ├── FailedRun                       result() of a failed run that holds no exception
    ├── PausedRun                       result() of a paused run
    ├── MissingResult                   the result was not kept and cannot be read
    ├── UpstreamTaskError               a task did not run because its upstream failed
    ├── MappingLengthMismatch           Task.map over iterables of different lengths (also ValueError)
    ├── MappingMissingIterable          Task.map with nothing to map over (also ValueError)
    ├── CrashedRun                      the run died for a reason outside user code
    ├── CancelledRun                    the run was cancelled
    ├── TaskRunTimeoutError             a task exceeded timeout_seconds (also TimeoutError)
    ├── FlowRunTimeoutError             a flow exceeded timeout_seconds (also TimeoutError)
    ├── InvalidRepositoryURLError       a git repository URL cannot be used
    ├── EntrypointError                 an entrypoint names no loadable flow
    │   ├── MissingFlowError            no flow of that name in the script
    │   ├── UnspecifiedFlowError        several flows and none named
    │   └── ScriptError                 the script raised while loading
    ├── NotShippable                    a function or argument cannot be pickled for another process (also TypeError)
    ├── HashError                       an object cannot be hashed
    │   └── UnhashableValue             a value cannot be hashed by content
    ├── UnhashableInput                 an argument cannot be part of a cache key
    ├── SerializationError              a result cannot be serialized (also TypeError)
    ├── UnsafeStorageKey                a result_storage_key would leave the storage (also ValueError)
    ├── CorruptRecord                   a stored result record is damaged
    ├── ObjectAlreadyExists             a name is taken (the API answers 409)
    ├── ScheduleError                   a bad cron, time zone, interval or rule (also ValueError)
    ├── ConcurrencyLimitError           a limit cannot be created, changed or used as asked (also ValueError)
    └── ConcurrencySlotAcquisitionError slots could not be taken
        └── AcquireConcurrencySlotTimeoutError   timeout_seconds passed (also TimeoutError)

    HeadwaterSignal (BaseException)     control flow raised *into* user code
    ├── TimeoutSignal                   the run's time is up
    ├── CancellationSignal              the run was cancelled (ends Cancelled, not Crashed)
    ├── Pause                           a suspended flow run's process leaves, to run again when resumed
    └── ExternalSignal                  a signal from outside the run
        └── TerminationSignal           the process was asked to stop (SIGTERM)

Signals derive from BaseException so that a user's `except Exception:` cannot swallow
a time-out or a cancellation; the engine turns them into states.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AcquireConcurrencySlotTimeoutError",
    "CancellationSignal",
    "CancelledRun",
    "ConcurrencyLimitError",
    "ConcurrencySlotAcquisitionError",
    "ConfigurationError",
    "CorruptRecord",
    "CrashedRun",
    "EventTooLarge",
    "EntrypointError",
    "FailedRun",
    "FlowRunTimeoutError",
    "HeadwaterError",
    "HeadwaterSignal",
    "InvalidDefinitionError",
    "InvalidNameError",
    "InvalidStateTransition",
    "MappingLengthMismatch",
    "MappingMissingIterable",
    "MissingContextError",
    "MissingResult",
    "NotShippable",
    "ObjectAlreadyExists",
    "ObjectNotFound",
    "ParameterBindError",
    "ParameterTypeError",
    "ParameterValidationError",
    "SignatureMismatchError",
    "PausedRun",
    "PrefectException",
    "ScheduleError",
    "SerializationError",
    "StoreError",
    "TaskRunTimeoutError",
    "TerminationSignal",
    "TimeoutSignal",
    "UnfinishedRun",
    "UnhashableInput",
    "UnhashableValue",
    "UnsafeStorageKey",
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


class InvalidNameError(InvalidDefinitionError, ValueError):
    """A flow's name contains a character Prefect does not allow in names (/ % & > <)."""


class ParameterValidationError(HeadwaterError, ValueError):
    """A flow parameter does not match its type hint."""


class ParameterTypeError(ParameterValidationError):
    """A flow parameter's value does not match its type hint (Prefect's name)."""


class SignatureMismatchError(HeadwaterError, TypeError):
    """Arguments that do not fit a function's signature (Prefect's name).

    `ParameterBindError` is the one headwater raises; catching this catches it too."""


class ParameterBindError(ParameterValidationError, SignatureMismatchError):
    """A flow was called with arguments its signature does not accept (Prefect's name)."""


class InvalidStateTransition(HeadwaterError):
    """The transition table does not allow moving a run between these states."""


class EventTooLarge(HeadwaterError):
    """An event is larger, as JSON, than may be emitted (`emit_event`)."""

    def __init__(self, size: int, maximum: int) -> None:
        super().__init__(f"Event is too large to emit ({size} > {maximum} bytes)")
        self.size = size
        self.maximum = maximum


class ObjectNotFound(HeadwaterError):
    """No object with the given id exists in the run history."""


class MissingContextError(HeadwaterError, RuntimeError):
    """Something that needs the executing flow or task run was used outside any run."""


class UnfinishedRun(HeadwaterError):
    """The result of a run was asked for before the run reached a final state."""


class FailedRun(HeadwaterError):
    """`result()` of a failed run whose state holds no exception, only a message."""


class PausedRun(HeadwaterError):
    """`result()` of a paused run: it has no result yet."""


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


class EntrypointError(HeadwaterError):
    """An entrypoint cannot be resolved to a flow: the file or module is missing or
    fails to load, or the name is absent or is not a flow."""

class NotShippable(HeadwaterError, TypeError):
    """A task's function or one of its arguments cannot be pickled for another process."""

class HashError(HeadwaterError):
    """An object cannot be hashed (Prefect's name; `UnhashableValue` is the one headwater raises)."""


class UnhashableValue(HashError):
    """A value cannot be hashed by content (it holds a lock, a file, a socket...).

    Attributes:
        type_name: the qualified name of the type that stopped the walk.
        reason: why it cannot be hashed.
    """

    def __init__(self, type_name: str, reason: str) -> None:
        super().__init__(f"{type_name} cannot be hashed by content: {reason}")
        self.type_name = type_name
        self.reason = reason

class UnhashableInput(HeadwaterError):
    """An argument cannot be hashed into a cache key; the call runs uncached.

    Attributes:
        argument: the parameter's name.
    """

    def __init__(self, argument: str, value: Any, cause: UnhashableValue) -> None:
        kind = type(value)
        shown = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
        inner = "" if cause.type_name == shown else f" (it holds a {cause.type_name})"
        super().__init__(
            f"argument {argument!r} ({shown}) cannot be hashed into a cache key{inner}: {cause.reason}. "
            f"Leave it out of the key with cache_policy=INPUTS - {argument!r}"
        )
        self.argument = argument

class SerializationError(HeadwaterError, TypeError):
    """A task's result cannot be written with the chosen serializer."""

class UnsafeStorageKey(HeadwaterError, ValueError):
    """A `result_storage_key` would leave the result storage (absolute, `..`, ...)."""

class CorruptRecord(HeadwaterError):
    """A stored record is truncated, altered or not a headwater record."""

class ObjectAlreadyExists(HeadwaterError):
    """An object with this name exists already (the API answers 409)."""

class ScheduleError(HeadwaterError, ValueError):
    """A schedule cannot be used: a bad cron expression, time zone, interval or rule."""

class ConcurrencyLimitError(HeadwaterError, ValueError):
    """A concurrency limit cannot be created, changed or used as asked.

    A bad name, a limit below its minimum, a negative decay, a duplicate name,
    `occupy` greater than the limit, `rate_limit` on a limit without decay.
    """

class ConcurrencySlotAcquisitionError(HeadwaterError):
    """Slots could not be taken: in strict mode, a named limit does not exist."""

class AcquireConcurrencySlotTimeoutError(ConcurrencySlotAcquisitionError, TimeoutError):
    """`timeout_seconds` passed before the slots were free."""


class HeadwaterSignal(BaseException):
    """Control flow raised into user code; not an error the user should catch."""


class TimeoutSignal(HeadwaterSignal):
    """Raised into a running task or flow whose `timeout_seconds` has passed."""


class CancellationSignal(HeadwaterSignal):
    """Raised in the engine's process to stop a run that was cancelled (a worker does
    this on request); the run ends Cancelled and its on_cancellation hooks run."""


class ExternalSignal(HeadwaterSignal):
    """A signal from outside the run (the process is being stopped); never caught by user code."""


class TerminationSignal(ExternalSignal):
    """Raised in the engine's process when it receives SIGTERM."""


PrefectException = HeadwaterError
"""Prefect's name for the root of the tree: `except PrefectException` catches every error."""


# -- Prefect 3 names (prefect.exceptions) --------------------------------------------------

PrefectSignal = HeadwaterSignal
"""Prefect's name for the root of the signals (BaseException, not caught by `except Exception`)."""


class ReservedArgumentError(HeadwaterError, TypeError):
    """A function has a parameter whose name headwater reserves."""


class MissingFlowError(EntrypointError):
    """No flow of the given name is defined in the script."""


class UnspecifiedFlowError(EntrypointError):
    """The script defines several flows and none was named."""


class ScriptError(EntrypointError):
    """A script raised while it was loaded to find its flows.

    Attributes:
        user_exc: what the script raised.
        path: the script's path.
    """

    def __init__(self, user_exc: Exception, path: str) -> None:
        super().__init__(f"Script at {str(path)!r} encountered an exception: {user_exc!r}")
        self.user_exc = user_exc
        self.path = path


class InvalidRepositoryURLError(HeadwaterError):
    """A git repository URL cannot be used (Prefect 1's GitHub/GitLab/Bitbucket storage
    given a URL headwater cannot reach)."""


class MissingProfileError(HeadwaterError, ValueError):
    """No profile has that name (headwater has one, `default`)."""


class ProfileSettingsValidationError(ConfigurationError):
    """A profile's settings are not valid.

    Attributes:
        errors: (setting, problem) pairs.
    """

    def __init__(self, errors: list[tuple[Any, str]]) -> None:
        super().__init__("; ".join(f"{setting}: {problem}" for setting, problem in errors))
        self.errors = errors


class FlowRunWaitTimeout(HeadwaterError):
    """A flow run did not reach a final state within the time given to wait for it."""


def exception_traceback(exc: BaseException) -> str:
    """`exc` with its traceback, as Python prints it."""
    import traceback

    return "".join(traceback.TracebackException.from_exception(exc).format())


__all__ += [
    "ExternalSignal",
    "FlowRunWaitTimeout",
    "HashError",
    "MissingFlowError",
    "InvalidRepositoryURLError",
    "MissingProfileError",
    "PrefectSignal",
    "ProfileSettingsValidationError",
    "ReservedArgumentError",
    "ScriptError",
    "UnspecifiedFlowError",
    "exception_traceback",
]


class NotPausedError(HeadwaterError):
    """`resume_flow_run` of a run that is not paused (or suspended)."""


class FlowPauseTimeout(HeadwaterError):
    """A paused flow run was not resumed within its timeout (the run then fails)."""


class Pause(HeadwaterSignal):
    """Raised in a flow whose run was suspended: its process leaves, and a worker (or
    `serve`) runs the flow again once it is resumed.

    Attributes:
        state: the Suspended state the run is in.
    """

    def __init__(self, *args: Any, state: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state = state


__all__ += ["FlowPauseTimeout", "NotPausedError", "Pause"]


# -- blocks (issue 16) ------------------------------------------------------------------


class BlockMissingCapabilities(HeadwaterError):
    """A block lacks a capability an operation needs (Prefect 3 defines it and raises it nowhere)."""


class ProtectedBlockError(HeadwaterError):
    """A protected (built-in) block type cannot be deleted (the API answers 403)."""


__all__ += ["BlockMissingCapabilities", "ProtectedBlockError"]
