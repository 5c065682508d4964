"""Each create_* function of prefect.artifacts inside a flow and a task: what it returns,
and what Artifact.get then reads back (type, description, data as stored)."""

from uuid import UUID

from prefect import flow, task
from prefect.artifacts import (
    Artifact,
    create_image_artifact,
    create_link_artifact,
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
)


@task
def in_task():
    return create_markdown_artifact("# From a task\n\n*emphasis*", key="parity-cf-task-md",
                                    description="made in a task")


@flow
def make_all():
    ids = [
        create_markdown_artifact("## Report\n\nAll **good**.", key="parity-cf-md", description="a report"),
        create_table_artifact([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}], key="parity-cf-rows"),
        create_table_artifact({"a": [1, 2], "b": [float("nan"), 3.5]}, key="parity-cf-columns"),
        create_table_artifact([[1, 2], [3, 4]], key="parity-cf-lists", description="lists"),
        create_link_artifact("https://example.com/x", link_text="Example", key="parity-cf-link"),
        create_link_artifact("https://example.com/y", key="parity-cf-link-bare"),
        create_image_artifact("https://example.com/pic.png", key="parity-cf-image"),
        create_progress_artifact(12.5, key="parity-cf-progress", description="going"),
        create_markdown_artifact("no key"),
        in_task(),
    ]
    return ids


ids = make_all()
print("returned:", [type(i).__name__ for i in ids], len(set(ids)))
print("all UUID:", all(isinstance(i, UUID) for i in ids))
for key in ["parity-cf-md", "parity-cf-rows", "parity-cf-columns", "parity-cf-lists", "parity-cf-link",
            "parity-cf-link-bare", "parity-cf-image", "parity-cf-progress", "parity-cf-task-md"]:
    found = Artifact.get(key)
    print(key, type(found).__name__, found.type, repr(found.description), repr(found.data),
          found.flow_run_id is not None, found.task_run_id is not None)
print("missing:", Artifact.get("parity-cf-never-made"))
