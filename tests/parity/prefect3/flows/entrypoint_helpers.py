"""prefect.flows helpers for entrypoints: async or not, the decorator's arguments read from source,
loading a plain function as a flow, placeholder flows, safe loading, and select_flow's errors."""
import pathlib

from prefect import flow
from prefect.exceptions import MissingFlowError, UnspecifiedFlowError
from prefect.flows import (
    is_entrypoint_async,
    load_flow_arguments_from_entrypoint,
    load_flow_from_entrypoint,
    load_function_and_convert_to_flow,
    load_placeholder_flow,
    safe_load_flow_from_entrypoint,
    select_flow,
)

pathlib.Path("myflows.py").write_text('''
from __main__ import flow


@flow(name="first-flow", retries=2, log_prints=True, description="one")
def first(x: int = 1):
    return x + 1


@flow
async def second():
    return "two"


def plain(a, b=3):
    return a * b


print("module body ran")
''')

print(is_entrypoint_async("myflows.py:second"), is_entrypoint_async("myflows.py:first"),
      is_entrypoint_async("myflows.py:plain"))
print(load_flow_arguments_from_entrypoint("myflows.py:first"))
print(load_flow_arguments_from_entrypoint("myflows.py:second"))
print(load_flow_arguments_from_entrypoint("myflows.py:first", arguments=["name", "retries"]))
converted = load_function_and_convert_to_flow("myflows.py:plain")
print(type(converted).__name__, converted.name, converted(2))
kept = load_function_and_convert_to_flow("myflows.py:first")
print(type(kept).__name__, kept.name)
placeholder = load_placeholder_flow("myflows.py:plain", ValueError("cannot load plain"))
print(placeholder.name)
try:
    placeholder(1)
except ValueError as exc:
    print("ValueError", exc)
safe = safe_load_flow_from_entrypoint("myflows.py:first")
print(type(safe).__name__, safe.name, safe.retries)
print(safe_load_flow_from_entrypoint("myflows.py:plain").__name__)
first = load_flow_from_entrypoint("myflows.py:first")
second = load_flow_from_entrypoint("myflows.py:second")
print(select_flow([first, second], "first-flow").name, select_flow([second]).name)
try:
    select_flow([first, second])
except UnspecifiedFlowError as exc:
    print("UnspecifiedFlowError", exc)
try:
    select_flow([first, second], "zzz", from_message="in myflows.py")
except MissingFlowError as exc:
    print("MissingFlowError", exc)
