"""prefect.exceptions: more of Prefect's exception names, where they sit in the tree, and
exception_traceback."""
from prefect.exceptions import (
    ExternalSignal,
    FlowRunWaitTimeout,
    HashError,
    MissingFlowError,
    MissingProfileError,
    PrefectException,
    PrefectSignal,
    ProfileSettingsValidationError,
    ReservedArgumentError,
    ScriptError,
    UnspecifiedFlowError,
    exception_traceback,
)

for name, cls in (("ExternalSignal", ExternalSignal), ("PrefectSignal", PrefectSignal)):
    print(name, issubclass(cls, BaseException), issubclass(cls, Exception))
for cls in (FlowRunWaitTimeout, HashError, MissingFlowError, MissingProfileError, ProfileSettingsValidationError,
            ReservedArgumentError, ScriptError, UnspecifiedFlowError):
    print(cls.__name__, issubclass(cls, PrefectException), issubclass(cls, ValueError), issubclass(cls, TypeError))

try:
    raise HashError("cannot hash a lock")
except PrefectException as exc:
    print(type(exc).__name__, exc)
try:
    raise MissingProfileError("Profile 'x' not found.")
except ValueError as exc:
    print(type(exc).__name__, exc)
error = ScriptError(user_exc=ZeroDivisionError("division by zero"), path="flows/etl.py")
print(type(error.user_exc).__name__, error)


def inner():
    raise KeyError("missing")


try:
    inner()
except KeyError as exc:
    text = exception_traceback(exc)
    print(text.splitlines()[0])
    print(text.splitlines()[-1])
    print("in inner" in text)
