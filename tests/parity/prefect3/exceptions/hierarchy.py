"""The Prefect exception classes users catch and their base classes.

Exercises prefect.exceptions class relations (issubclass checks only)."""
from prefect import exceptions as ex

checks = [
    ("CrashedRun", ex.PrefectException),
    ("FailedRun", ex.PrefectException),
    ("CancelledRun", ex.PrefectException),
    ("UnfinishedRun", ex.PrefectException),
    ("MissingResult", ex.PrefectException),
    ("ParameterTypeError", ex.PrefectException),
    ("ParameterBindError", TypeError),
    ("SignatureMismatchError", TypeError),
    ("UpstreamTaskError", ex.PrefectException),
    ("MissingContextError", RuntimeError),
    ("MappingLengthMismatch", ex.PrefectException),
    ("MappingMissingIterable", ex.PrefectException),
    ("ObjectNotFound", ex.PrefectException),
]
for name, base in checks:
    print(name, issubclass(getattr(ex, name), base))
print("PrefectException is Exception", issubclass(ex.PrefectException, Exception))
print("TerminationSignal is not Exception", not issubclass(ex.TerminationSignal, Exception))
