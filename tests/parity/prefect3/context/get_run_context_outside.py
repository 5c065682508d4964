"""get_run_context() outside any run raises MissingContextError; FlowRunContext.get() returns None.

Exercises prefect.context outside runs."""
from prefect.context import FlowRunContext, TaskRunContext, get_run_context
from prefect.exceptions import MissingContextError

try:
    get_run_context()
except MissingContextError:
    print("MissingContextError raised")

print("FlowRunContext.get()", FlowRunContext.get())
print("TaskRunContext.get()", TaskRunContext.get())
