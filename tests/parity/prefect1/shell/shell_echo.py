"""ShellTask runs a command and returns its last line of output; return_all returns every line.

Exercises prefect.tasks.shell.ShellTask (docs-v1: api/latest/tasks/shell).
"""
import logging
import sys

from prefect import Flow
from prefect.tasks.shell import ShellTask

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

last_line = ShellTask(name="echo-last")
all_lines = ShellTask(name="echo-all", return_all=True)

with Flow("shell") as flow:
    one = last_line(command="echo first; echo second")
    many = all_lines(command="echo alpha; echo beta")
    env = last_line(command='echo "$GREETING"', env={"GREETING": "hello from env"})

state = flow.run()
print(state.result[one].result)
print(state.result[many].result)
print(state.result[env].result)
