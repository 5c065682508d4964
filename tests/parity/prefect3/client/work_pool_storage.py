"""A work pool's storage configuration (WorkPoolStorageConfiguration): empty on a new
pool, set and replaced with update_work_pool (WorkPoolUpdate), kept by an update that
leaves it out, replaced by create_work_pool(overwrite=True); its result storage block
is a saved filesystem block (prefect.client.schemas.objects, prefect.filesystems)."""

from prefect import get_client
from prefect.client.schemas.actions import WorkPoolCreate, WorkPoolUpdate
from prefect.client.schemas.objects import WorkPool, WorkPoolStorageConfiguration
from prefect.filesystems import LocalFileSystem

NAME = "storage-parity-pool"
UPLOAD = {"my_bundles.upload": {"bucket": "b", "requires": "my-bundles"}}
EXECUTE = {"my_bundles.execute": {"bucket": "b", "requires": "my-bundles"}}


def show(storage: WorkPoolStorageConfiguration, block_id: object = None) -> None:
    print(" ", storage.bundle_upload_step, storage.bundle_execution_step,
          storage.default_result_storage_block_id == block_id if block_id else storage.default_result_storage_block_id)


print(sorted(WorkPoolStorageConfiguration.model_fields))
print(WorkPoolStorageConfiguration())
print(WorkPoolStorageConfiguration(bundle_upload_step=UPLOAD).bundle_upload_step)
print(isinstance(WorkPool.model_fields["storage_configuration"].default_factory(), WorkPoolStorageConfiguration))

block_id = LocalFileSystem(basepath="results").save("storage-parity-results", overwrite=True)
with get_client(sync_client=True) as client:
    pool = client.create_work_pool(WorkPoolCreate(name=NAME, type="process"), overwrite=True)
    client.update_work_pool(NAME, WorkPoolUpdate(storage_configuration=WorkPoolStorageConfiguration()))
    print("new pool:")
    show(client.read_work_pool(NAME).storage_configuration)

    client.update_work_pool(NAME, WorkPoolUpdate(storage_configuration=WorkPoolStorageConfiguration(
        bundle_upload_step=UPLOAD, bundle_execution_step=EXECUTE, default_result_storage_block_id=block_id)))
    print("configured:")
    show(client.read_work_pool(NAME).storage_configuration, block_id)

    client.update_work_pool(NAME, WorkPoolUpdate(concurrency_limit=3))
    read = client.read_work_pool(NAME)
    print("after another update:", read.concurrency_limit)
    show(read.storage_configuration, block_id)

    client.update_work_pool(NAME, WorkPoolUpdate(storage_configuration=WorkPoolStorageConfiguration(
        default_result_storage_block_id=block_id)))
    print("replaced:")
    show(client.read_work_pool(NAME).storage_configuration, block_id)

    client.create_work_pool(WorkPoolCreate(name=NAME, type="process", storage_configuration=WorkPoolStorageConfiguration(
        bundle_upload_step=UPLOAD)), overwrite=True)
    print("overwritten:")
    show(client.read_work_pool(NAME).storage_configuration)

    block = LocalFileSystem.load("storage-parity-results")
    print(block.basepath.endswith("results"))
    client.update_work_pool(NAME, WorkPoolUpdate(storage_configuration=WorkPoolStorageConfiguration()))
