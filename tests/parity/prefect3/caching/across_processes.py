"""Caching across processes: the program reruns itself in a subprocess and the task is Cached there.

Exercises persisted cache records (cache_policy=INPUTS + TASK_SOURCE) shared between processes."""
import subprocess
import sys

from prefect import flow, task
from prefect.cache_policies import INPUTS, TASK_SOURCE


@task(cache_policy=INPUTS + TASK_SOURCE)
def expensive(x: int) -> int:
    print("body ran for", x)
    return x * 100


@flow
def main(who: str):
    s = expensive(7, return_state=True)
    print(who, s.name, s.result())


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        main("child")
    else:
        main("parent")
        sys.stdout.flush()
        proc = subprocess.run([sys.executable, __file__, "child"], capture_output=True, text=True)
        print(proc.stdout, end="")
        print("child exit", proc.returncode)
