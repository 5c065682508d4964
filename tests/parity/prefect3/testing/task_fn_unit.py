"""A task's original function is reachable as .fn and can be unit-tested without a flow or backend.

Exercises Task.fn and Flow.fn (docs: "Test workflows", testing tasks directly)."""
from prefect import flow, task


@task
def clean(text: str) -> str:
    return text.strip().lower()


@flow
def pipeline(text: str) -> str:
    return clean(text) + "!"


assert clean.fn("  HeLLo ") == "hello"
print("task fn", repr(clean.fn("  HeLLo ")))
print("flow fn", repr(pipeline.fn(" Hi")))
print("fn is the plain function", callable(clean.fn) and clean.fn.__name__ == "clean")
