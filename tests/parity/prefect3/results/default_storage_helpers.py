"""prefect.results helpers: the default result storage and serializer, resolving result_storage
values, the default persist settings, and should_persist_result inside and outside runs."""
from pathlib import Path

from prefect import flow, task
from prefect.filesystems import LocalFileSystem
from prefect.results import (
    DEFAULT_STORAGE_KEY_FN,
    get_default_persist_setting,
    get_default_persist_setting_for_tasks,
    get_default_result_serializer,
    get_default_result_storage,
    resolve_result_storage,
    should_persist_result,
)

storage = get_default_result_storage()
print(type(storage).__name__, Path(storage.basepath).name, Path(storage.basepath).parent.parent.resolve() == Path.cwd().resolve())
serializer = get_default_result_serializer()
print(type(serializer).__name__, serializer.picklelib)
print(get_default_persist_setting(), get_default_persist_setting_for_tasks(), should_persist_result())
resolved = resolve_result_storage(Path("out"))
print(type(resolved).__name__, resolved.basepath)
fs = LocalFileSystem(basepath="elsewhere")
print(resolve_result_storage(fs) is fs)
key = DEFAULT_STORAGE_KEY_FN()
print(len(key), key.isalnum(), key != DEFAULT_STORAGE_KEY_FN())


@task(persist_result=True)
def kept():
    return should_persist_result()


@task
def plain():
    return should_persist_result()


@flow(persist_result=True)
def pipeline():
    return should_persist_result(), kept(), plain()


print(pipeline())
