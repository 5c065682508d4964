"""The Artifact class: Artifact(...).create() returns the stored artifact; Artifact.get
without a key reads the most recently updated one; get_or_create; artifacts made outside
any run are stored without run ids (with a FutureWarning)."""

import warnings

from prefect import flow, get_client
from prefect.artifacts import Artifact, create_markdown_artifact

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    outside = create_markdown_artifact("made outside a run", key="parity-gc-outside")
print("outside warnings:", [(w.category.__name__, str(w.message)) for w in caught
                          if issubclass(w.category, (FutureWarning, DeprecationWarning, UserWarning))])
found = Artifact.get("parity-gc-outside")
print("outside:", found.id == outside, found.flow_run_id, found.task_run_id, found.data)


@flow
def with_class():
    made = Artifact(key="parity-gc-class", type="markdown", description="d", data={"x": 1}).create()
    print("create returns:", type(made).__name__, made.key, made.type, made.data, made.description)
    got, created = Artifact.get_or_create(key="parity-gc-class", data="ignored")
    print("get_or_create existing:", got.id == made.id, created)
    fresh, created = Artifact.get_or_create(key="parity-gc-fresh", type="markdown", data="new one")
    print("get_or_create new:", fresh.key, fresh.data, created)
    return made


made = with_class()
with get_client(sync_client=True) as client:
    for key in ["parity-gc-outside", "parity-gc-class", "parity-gc-fresh"]:
        artifact = Artifact.get(key)
        client.delete_artifact(artifact.id)
    print("deleted:", [Artifact.get(k) for k in ["parity-gc-outside", "parity-gc-class", "parity-gc-fresh"]])
