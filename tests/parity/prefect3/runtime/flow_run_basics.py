"""prefect.runtime.flow_run inside a flow: flow name, parameters, run_count, and name/id shape via predicates.

Exercises prefect.runtime.flow_run (docs: "Access runtime information")."""
import re

from prefect import flow
from prefect.runtime import flow_run


@flow(name="runtime-demo")
def main(x: int, y: str = "b"):
    print("flow_name", flow_run.flow_name)
    print("parameters", dict(flow_run.parameters))
    print("run_count", flow_run.run_count)
    print("name is dash-separated lowercase words", bool(re.fullmatch(r"[a-z]+(-[a-z]+)+", flow_run.name)))
    print("id is a 36-char string", isinstance(flow_run.id, str) and len(flow_run.id) == 36)
    print("tags", list(flow_run.tags))


if __name__ == "__main__":
    main(1)
