"""A work pool's storage configuration (`WorkPoolStorageConfiguration`) through the client,
on both transports and both databases: stored on create, replaced on update, kept when
an update leaves it out, and its result storage block checked."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from support import ServerProcess

from headwater.client.orchestration import SyncPrefectClient
from headwater.client.schemas.actions import WorkPoolCreate, WorkPoolUpdate
from headwater.client.schemas.objects import WorkPool, WorkPoolStorageConfiguration
from headwater.core.event_schemas import EventFilter, EventResourceFilter
from headwater.exceptions import ParameterValidationError
from headwater.filesystems import LocalFileSystem

UPLOAD = {"my_bundles.upload": {"bucket": "b", "requires": "my-bundles"}}
EXECUTE = {"my_bundles.execute": {"bucket": "b"}}


def _pool_name() -> str:
    return f"pool-{uuid.uuid4().hex[:10]}"  # the server is shared by the module


def test_a_new_pool_has_an_empty_storage_configuration(client: SyncPrefectClient) -> None:
    name = _pool_name()
    pool = client.create_work_pool(WorkPoolCreate(name=name))
    assert pool.storage_configuration == WorkPoolStorageConfiguration()
    assert WorkPool.model_fields["storage_configuration"].default_factory is WorkPoolStorageConfiguration
    assert client.read_work_pool(name).storage_configuration == WorkPoolStorageConfiguration()


def test_storage_is_stored_replaced_and_kept(client: SyncPrefectClient, tmp_path: Path) -> None:
    name = _pool_name()
    storage = WorkPoolStorageConfiguration(bundle_upload_step=UPLOAD, bundle_execution_step=EXECUTE)
    created = client.create_work_pool(WorkPoolCreate(name=name, storage_configuration=storage))
    assert created.storage_configuration == storage
    assert [p.storage_configuration for p in client.read_work_pools() if p.name == name] == [storage]

    # An update without it (or with None) keeps it, as in Prefect.
    client.update_work_pool(name, WorkPoolUpdate(concurrency_limit=2))
    client.update_work_pool(name, WorkPoolUpdate(storage_configuration=None))
    assert client.read_work_pool(name).storage_configuration == storage

    # An update with one replaces it whole; the block id comes back as a UUID.
    block_id = LocalFileSystem(basepath=str(tmp_path / "results")).save(f"results-{name}", client=client)
    replacement = WorkPoolStorageConfiguration(default_result_storage_block_id=block_id)
    client.update_work_pool(name, WorkPoolUpdate(storage_configuration=replacement))
    read = client.read_work_pool(name)
    assert read.storage_configuration == replacement and read.concurrency_limit == 2
    assert isinstance(read.storage_configuration.default_result_storage_block_id, uuid.UUID)

    # create_work_pool(overwrite=True) replaces it as Prefect's does.
    client.create_work_pool(WorkPoolCreate(name=name, storage_configuration=storage), overwrite=True)
    assert client.read_work_pool(name).storage_configuration == storage


def test_a_result_storage_block_that_does_not_exist_is_refused(client: SyncPrefectClient) -> None:
    name = _pool_name()
    missing = uuid.uuid4()
    dangling = WorkPoolStorageConfiguration(default_result_storage_block_id=missing)
    with pytest.raises(ParameterValidationError, match=f"default_result_storage_block_id.*{missing}"):
        client.create_work_pool(WorkPoolCreate(name=name, storage_configuration=dangling))
    client.create_work_pool(WorkPoolCreate(name=name, storage_configuration=WorkPoolStorageConfiguration(
        bundle_upload_step=UPLOAD)))
    with pytest.raises(ParameterValidationError, match="default_result_storage_block_id"):
        client.update_work_pool(name, WorkPoolUpdate(storage_configuration=dangling))
    assert client.read_work_pool(name).storage_configuration.bundle_upload_step == UPLOAD  # nothing lost


def test_the_api_names_a_bad_storage_field(server: ServerProcess) -> None:
    name = _pool_name()
    with httpx.Client(base_url=server.url.rstrip("/") + "/", timeout=30) as http:
        assert http.post("work_pools/", json={"name": name}).status_code == 201
        for body, field in (({"bundle_upload_stepp": {}}, "bundle_upload_stepp"),
                            ({"default_result_storage_block_id": "not-a-uuid"}, "default_result_storage_block_id"),
                            ({"bundle_upload_step": {f"f{i}": {} for i in range(11)}}, "bundle_upload_step"),
                            ({"bundle_execution_step": "text"}, "bundle_execution_step")):
            reply = http.patch(f"work_pools/{name}", json={"storage_configuration": body})
            assert reply.status_code == 422 and field in reply.text, (body, reply.text)
        assert http.get(f"work_pools/{name}").json()["storage_configuration"] == {
            "bundle_upload_step": None, "bundle_execution_step": None, "default_result_storage_block_id": None}


def test_the_pool_event_names_its_result_storage_block(client: SyncPrefectClient, tmp_path: Path) -> None:
    name = _pool_name()
    block_id = LocalFileSystem(basepath=str(tmp_path)).save(f"results-{name}", client=client)
    pool = client.create_work_pool(WorkPoolCreate(name=name))
    client.update_work_pool(name, WorkPoolUpdate(storage_configuration=WorkPoolStorageConfiguration(
        default_result_storage_block_id=block_id)))
    page = client.read_events(EventFilter(resource=EventResourceFilter(id=[f"prefect.work-pool.{pool.id}"])))
    related = {e.event: [(r.id, r.role) for r in e.related] for e in page.events}
    assert related == {"prefect.work-pool.created": [],
                       "prefect.work-pool.updated": [(f"prefect.block-document.{block_id}", "result-storage")]}
