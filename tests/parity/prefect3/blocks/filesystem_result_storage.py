"""LocalFileSystem as result_storage, saved and given by object and by its slug
("local-file-system/my-results") (Prefect API: prefect.filesystems, Task(result_storage=...))."""
from pathlib import Path
from prefect import flow, task
from prefect.filesystems import LocalFileSystem

fs = LocalFileSystem(basepath=str(Path("my-results").resolve()))
fs.save("my-results", overwrite=True)

@task(persist_result=True, result_storage="local-file-system/my-results", result_storage_key="by-slug.txt")
def by_slug():
    return 41

@task(persist_result=True, result_storage=LocalFileSystem.load("my-results"), result_storage_key="by-object.txt")
def by_object():
    return 42

@flow
def main():
    return by_slug() + by_object()

print(main())
print(sorted(p.name for p in Path("my-results").iterdir()))
