"""Tasks the background task tests queue and serve (loaded by file path by workers and producers)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from headwater import task


@task
def add(x: int, y: int) -> int:
    return x + y


@task
def record(tag: int, out: str) -> int:
    """Append `tag` and this process's id to `out`: each run's executions, counted."""
    with open(out, "a") as f:
        f.write(f"{tag} {os.getpid()}\n")
    return tag


@task(retries=1)
def hang_once(marker: str) -> str:
    """The first attempt marks the file and hangs (its worker is killed); the next returns."""
    path = Path(marker)
    if not path.exists():
        path.write_text(str(os.getpid()))
        time.sleep(120)
    return "second attempt"


@task
def hang(marker: str) -> str:
    Path(marker).write_text(str(os.getpid()))
    time.sleep(120)
    return "never"


@task
def fail(message: str) -> None:
    raise ValueError(message)
