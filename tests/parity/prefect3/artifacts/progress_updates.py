"""create_progress_artifact then update_progress_artifact: the same id is returned, the
value and description change in place, out-of-range values are clamped to 0..100."""

import logging

from prefect import flow, task
from prefect.artifacts import Artifact, create_progress_artifact, update_progress_artifact


class Capture(logging.Handler):
    def emit(self, record):
        if "progress" in record.getMessage().lower():
            print("log:", record.getMessage())


logging.getLogger("prefect.artifacts").addHandler(Capture())


@task
def step(artifact_id, value):
    return update_progress_artifact(artifact_id, value)


@flow
def work():
    artifact_id = create_progress_artifact(0.0, key="parity-pu-progress", description="starting")
    same = [step(artifact_id, v) for v in (25, 50)]
    print("update returns the id:", all(s == artifact_id for s in same))
    update_progress_artifact(artifact_id, 75.0, description="nearly")
    return artifact_id


artifact_id = work()
found = Artifact.get("parity-pu-progress")
print("after:", found.id == artifact_id, found.type, found.data, found.description)
update_progress_artifact(artifact_id, 150)
print("clamped high:", Artifact.get("parity-pu-progress").data)
update_progress_artifact(artifact_id, -3)
print("clamped low:", Artifact.get("parity-pu-progress").data)
