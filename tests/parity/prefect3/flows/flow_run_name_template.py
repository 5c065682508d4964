"""flow_run_name as a template over parameters, and as a callable, seen through prefect.runtime.

Exercises @flow(flow_run_name=...) and prefect.runtime.flow_run (Prefect docs: flows, runtime)."""
from prefect import flow
from prefect.runtime import flow_run


@flow(flow_run_name="report-{region}-{year}")
def report(region: str, year: int):
    return flow_run.name


def make_name():
    params = flow_run.parameters
    return f"greet-{params['who']}"


@flow(flow_run_name=make_name)
def greet(who: str):
    return flow_run.name


print(report("eu", 2024))
print(report(region="us", year=1999))
print(greet("ann"))
