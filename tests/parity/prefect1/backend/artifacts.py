"""prefect.backend.artifacts (Prefect 1): markdown and link artifacts of a task run.
Outside a task run (and, in Prefect 1, in any run without a backend) they do nothing;
headwater records every run, so inside a task run it makes them (reviewed output)."""

import logging
import sys

from prefect import Flow, task
from prefect.backend import artifacts
from prefect.backend import (
    create_link_artifact,
    create_markdown_artifact,
    delete_artifact,
    update_link_artifact,
    update_markdown_artifact,
)

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

print("outside a run:", create_markdown_artifact("# hi"), create_link_artifact("https://example.com"))
print("no-ops:", update_markdown_artifact("x", "y"), update_link_artifact("x", "y"), delete_artifact("x"))


@task
def report():
    made = create_markdown_artifact("# report")
    link = create_link_artifact("https://example.com/x")
    print("made in the task run:", made is not None, link is not None)
    if made is not None:
        update_markdown_artifact(made, "# report v2")
        update_link_artifact(link, "https://example.com/y")
        delete_artifact(link)
    return 1


with Flow("artifacts") as flow:
    report()

print("flow succeeded:", flow.run().is_successful())
print(artifacts.create_markdown_artifact is create_markdown_artifact)
