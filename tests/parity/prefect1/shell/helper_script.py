"""ShellTask's helper_script runs before every command; the command can be bound at creation.

Exercises ShellTask(helper_script=, command=) (docs-v1: api/latest/tasks/shell).
"""
import logging
import sys

from prefect import Flow
from prefect.tasks.shell import ShellTask

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

shell = ShellTask(helper_script="GREETING=hi; shout() { echo \"$1!\"; }", return_all=True)
fixed = ShellTask(command="printf 'a\\nb\\nc\\n'", return_all=True)

with Flow("helpers") as flow:
    greet = shell(command='echo "$GREETING"; shout there')
    lines = fixed()

state = flow.run()
print(state.result[greet].result)
print(state.result[lines].result)
