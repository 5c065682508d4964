"""get_run_logger() with no active flow or task run raises MissingContextError.

Exercises prefect.get_run_logger and prefect.exceptions.MissingContextError (docs: "Configure logging")."""
from prefect import get_run_logger
from prefect.exceptions import MissingContextError

try:
    get_run_logger()
except MissingContextError as exc:
    print("raised", type(exc).__name__)
    print("is RuntimeError", isinstance(exc, RuntimeError))
