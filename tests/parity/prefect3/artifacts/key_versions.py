"""Artifacts created again under the same key are versions: Artifact.get reads the latest,
every version stays readable through the client, and the latest per key is one collection."""

from prefect import flow, get_client
from prefect.artifacts import Artifact, create_markdown_artifact, create_table_artifact
from prefect.client.schemas.filters import ArtifactCollectionFilter, ArtifactCollectionFilterKey
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.client.schemas.sorting import ArtifactSort


@flow
def versions():
    first = create_markdown_artifact("version 1", key="parity-kv-report")
    second = create_markdown_artifact("version 2", key="parity-kv-report", description="second")
    third = create_table_artifact([{"v": 3}], key="parity-kv-report")
    return [first, second, third]


ids = versions()
latest = Artifact.get("parity-kv-report")
print("latest:", latest.type, latest.data, latest.description, latest.id == ids[-1])
with get_client(sync_client=True) as client:
    every = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["parity-kv-report"])),
                                  sort=ArtifactSort.CREATED_DESC)
    print("versions:", len(every), [a.data for a in every])
    print("ids in order:", [a.id for a in every] == list(reversed(ids)))
    collections = client.read_latest_artifacts(
        artifact_filter=ArtifactCollectionFilter(key=ArtifactCollectionFilterKey(any_=["parity-kv-report"])))
    print("collections:", len(collections), type(collections[0]).__name__, collections[0].key,
          collections[0].latest_id == ids[-1], collections[0].type, collections[0].data)
    client.delete_artifact(ids[-1])
    after = Artifact.get("parity-kv-report")
    print("after deleting the latest:", after.data, after.id == ids[1])
    collections = client.read_latest_artifacts(
        artifact_filter=ArtifactCollectionFilter(key=ArtifactCollectionFilterKey(any_=["parity-kv-report"])))
    print("collection now:", collections[0].latest_id == ids[1], collections[0].data)
    for artifact_id in ids[:2]:
        client.delete_artifact(artifact_id)
    print("gone:", Artifact.get("parity-kv-report"))
    print("collections left:", len(client.read_latest_artifacts(
        artifact_filter=ArtifactCollectionFilter(key=ArtifactCollectionFilterKey(any_=["parity-kv-report"])))))
