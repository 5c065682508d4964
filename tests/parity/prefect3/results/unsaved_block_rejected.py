"""An unsaved LocalFileSystem block as result_storage is refused when the task is defined;
a pathlib.Path is accepted instead.

Exercises result_storage validation (Prefect API: Task(result_storage=...), prefect.filesystems)."""
from pathlib import Path

from prefect import task
from prefect.filesystems import LocalFileSystem

try:

    @task(persist_result=True, result_storage=LocalFileSystem(basepath="unsaved"))
    def never_defined():
        return 1

except TypeError:
    print("unsaved block refused with TypeError")


@task(persist_result=True, result_storage=Path("saved").resolve())
def fine():
    return 2


print(fine())
