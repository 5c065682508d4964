"""Exception classes users catch around run results (UnfinishedRun, MissingResult,
CrashedRun, CancelledRun, FailedRun, ParameterTypeError) and which state raises which."""
from prefect import flow
from prefect.exceptions import (
    CancelledRun,
    CrashedRun,
    FailedRun,
    MissingResult,
    ParameterTypeError,
    PrefectException,
    UnfinishedRun,
    UpstreamTaskError,
)
from prefect.states import Cancelled, Crashed, Failed, Pending, Running

for cls in (CancelledRun, CrashedRun, FailedRun, MissingResult, ParameterTypeError, UnfinishedRun, UpstreamTaskError):
    print(cls.__name__, issubclass(cls, PrefectException))

for state in (Pending(), Running()):
    try:
        state.result()
    except Exception as exc:
        print(state.name, type(exc).__name__)

for state in (Failed(message="f"), Crashed(message="c"), Cancelled(message="x")):
    try:
        state.result()
    except Exception as exc:
        print(state.name, type(exc).__name__, exc)
    print(state.name, type(state.result(raise_on_failure=False)).__name__)


@flow
def typed(n: int):
    return n


try:
    typed("abc")
except Exception as exc:
    print("invalid parameter:", type(exc).__name__, isinstance(exc, PrefectException))
try:
    typed(1, 2)
except Exception as exc:
    print("extra positional:", type(exc).__name__)
