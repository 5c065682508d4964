"""Prefect 3 example "hello world": a flow with a default parameter and log_prints, called under
tags("test") with the default, a positional name, and in a loop over a crew.

Exercises tags() around flow calls, parameter defaults, log_prints, prefect.runtime.flow_run.
"""
import logging

from prefect import flow, tags
from prefect import runtime

greetings = []


class Collect(logging.Handler):
    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("Hello"):
            greetings.append(msg)


logging.getLogger("prefect").addHandler(Collect())
seen = []


@flow(log_prints=True)
def hello(name: str = "Marvin") -> None:
    """Log a friendly greeting."""
    print(f"Hello, {name}!")
    seen.append((runtime.flow_run.flow_name, runtime.flow_run.parameters, sorted(runtime.flow_run.tags)))


if __name__ == "__main__":
    # run the flow with default parameters
    with tags("test"):  # a tag to filter these flow runs by in the UI
        hello()  # Logs: "Hello, Marvin!"

        # run the flow with a different input
        hello("Marvin")  # Logs: "Hello, Marvin!"

        # run the flow multiple times for different people
        crew = ["Zaphod", "Trillian", "Ford"]

        for name in crew:
            hello(name)
    hello("outside")

    for line in greetings:
        print("logged:", line)
    for flow_name, params, run_tags in seen:
        print(flow_name, params, run_tags)
