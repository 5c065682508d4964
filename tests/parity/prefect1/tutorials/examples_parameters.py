"""Prefect 1 example "parameters": x and y Parameters with defaults, a task printing x + y (the
sum itself is a task built with the + operator), run with defaults and with parameters={...}.

Exercises Parameter(default=...), flow.run(parameters=...), operator tasks, log_stdout.
"""
import logging
import sys

from prefect import Flow, Parameter, task

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

logged = []


class Collect(logging.Handler):
    def emit(self, record):
        if " = " in record.getMessage() and " + " in record.getMessage():  # what the tasks print (log_stdout)
            logged.append(record.getMessage())


logging.getLogger("prefect").addHandler(Collect())


@task(log_stdout=True)
def print_total(x, y, total):
    print(f"{x} + {y} = {total}")


with Flow("Example: Parameters") as flow:
    x = Parameter("x", default=1)
    y = Parameter("y", default=2)

    print_total(x, y, x + y)

if __name__ == "__main__":
    # When running a flow where all parameters have default values
    # no parameters need to be specified at runtime.
    print("Running with default values")
    flow.run()

    # One or more parameters can be specified at runtime through the use of the
    # "parameters" argument. Here we set x to 8 and y to 9.
    print("\nRunning with x = 8 and y = 9")
    flow.run(parameters={"x": 8, "y": 9})
    print("logged:", logged)
    print("defaults:", sorted((p.name, p.default) for p in flow.parameters()))
