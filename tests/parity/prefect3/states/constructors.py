"""State constructors from prefect.states: type, default name, message and data.

Exercises Completed, Failed, Pending, Running, Scheduled, Cancelled, Crashed, Paused,
Cancelling, Retrying, AwaitingRetry, Late (Prefect API: prefect.states)."""
from prefect.states import (
    AwaitingRetry,
    Cancelled,
    Cancelling,
    Completed,
    Crashed,
    Failed,
    Late,
    Paused,
    Pending,
    Retrying,
    Running,
    Scheduled,
)

for make in (Completed, Failed, Pending, Running, Scheduled, Cancelled, Crashed, Paused, Cancelling, Retrying, AwaitingRetry, Late):
    state = make(message="m")
    print(make.__name__, state.type.value, state.name, state.message)
