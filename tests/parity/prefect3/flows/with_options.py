"""Flow.with_options returns a copy with new settings; the original keeps its own.

Exercises Flow.with_options(name=..., flow_run_name=..., retries=...) (Prefect API: Flow)."""
from prefect import flow
from prefect.runtime import flow_run


@flow(name="base", retries=0)
def base(x: int):
    return f"{flow_run.flow_name}:{flow_run.name}:{x}"


copy = base.with_options(name="copied", flow_run_name="copy-{x}", retries=3)
print(base.name, base.retries)
print(copy.name, copy.retries)
print(copy(7))
print(base(1).startswith("base:"))
