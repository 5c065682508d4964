"""Which process runs a flow run, and whether it is still there.

A flow run's process is recorded as "host:pid:start" (`this_process()`): the host
name, the pid, and the process's start time in clock ticks since boot (Linux's
`/proc/<pid>/stat`, field 22; empty where the system does not tell). On the same
host a run's process is gone when no process has that pid, when the pid's process is
a zombie (exited, not yet reaped), or when the pid belongs to a process started at
another time (the pid was reused). On another host nothing can be checked: only a
heartbeat older than the zombie limit says it is gone.

Standard library only: the embedded writer (store/sqlite_sink.py) uses it in
`python flow.py`, which never imports SQLAlchemy.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from headwater.core.liveness import is_provably_alive, stat_fields, this_host

__all__ = ["UNFINISHED", "crash_message", "dead_runs", "is_alive", "is_gone", "parse_process", "sqlite_lock_holders",
           "this_host", "this_process"]

UNFINISHED = ("PENDING", "RUNNING")
"""The flow-run state types whose process, once gone, leaves them Crashed (and no state yet)."""

_this: str | None = None


def _start_ticks(pid: int) -> str:
    fields = stat_fields(pid)
    return fields[19] if fields is not None and len(fields) > 19 else ""


def this_process() -> str:
    """This process as "host:pid:start" (computed once per process; a fork computes its own)."""
    global _this
    pid = os.getpid()
    if _this is None or _this.split(":")[1] != str(pid):
        _this = f"{this_host()}:{pid}:{_start_ticks(pid)}"
    return _this


def parse_process(process: str) -> tuple[str, int, str] | None:
    """(host, pid, start) of a recorded process, or None when it is not in that form."""
    host, _, rest = process.rpartition(":")
    host, _, pid_text = host.rpartition(":")
    try:
        return host, int(pid_text), rest
    except ValueError:
        return None


def is_gone(process: str, host: str) -> bool | None:
    """Whether the recorded `process` has ended: True or False when it ran on `host`
    (this machine), None when it ran elsewhere and cannot be checked here."""
    parsed = parse_process(process)
    if parsed is None or parsed[0] != host:
        return None
    _, pid, start = parsed
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, another user's
    except OSError:
        return None
    fields = stat_fields(pid)
    if fields is None:
        return False  # no /proc (not Linux): the pid exists, which is all we know
    if fields and fields[0] in ("Z", "X"):
        return True  # exited; its parent has not reaped it yet
    return bool(start) and len(fields) > 19 and fields[19] != start  # the pid was reused


def is_alive(process: str, host: str) -> bool:
    """Whether the recorded `process` provably runs now: it ran on `host` (this machine),
    its pid runs and is not a zombie, and it started when recorded (so a reused pid is not
    taken for it). False whenever that cannot be checked (another host, no /proc)."""
    parsed = parse_process(process)
    if parsed is None or parsed[0] != host:
        return False
    return is_provably_alive({"host": parsed[0], "pid": parsed[1], "started": parsed[2]})


def crash_message(process: str, found_by: str = "") -> str:
    """The message of a run found Crashed because its process is gone.

    Args:
        process: the run's recorded process.
        found_by: who found it (default: this process, opening the run history).
    """
    parsed = parse_process(process)
    where = f"process {parsed[1]} on {parsed[0]}" if parsed else f"process {process}"
    found_by = found_by or f"process {os.getpid()} when it opened the run history"
    return (f"the {where} running this flow run ended without recording how the run ended (killed, or "
            f"crashed); marked Crashed by {found_by}")


def dead_runs(rows: Iterable[tuple[str, str, float | None]], host: str, now: float,
              zombie_after_seconds: float) -> list[tuple[str, str]]:
    """Of (run id, process, heartbeat) rows of unfinished runs, the (id, process) of those
    whose process is gone: checked on this `host`, else by a heartbeat older than the limit."""
    dead = []
    for run_id, process, heartbeat in rows:
        gone = is_gone(process, host)
        if gone is None:
            gone = heartbeat is not None and heartbeat < now - zombie_after_seconds
        if gone:
            dead.append((run_id, process))
    return dead


def sqlite_lock_holders(path: str) -> list[str]:
    """The processes holding the write lock of the SQLite file at `path`, as
    "process 1234 (command line)"; empty when the system does not tell.

    Read from Linux's /proc/locks: SQLite takes POSIX byte-range locks, in WAL mode
    the writer's on byte 120 of the `-shm` file, otherwise on the database file itself.
    """
    targets: dict[tuple[int, int], bool] = {}  # (device, inode) -> whether it is the -shm file
    for name, is_shm in ((path, False), (path + "-shm", True)):
        try:
            st = os.stat(name)
        except OSError:
            continue
        targets[(st.st_dev, st.st_ino)] = is_shm
    pids: list[int] = []
    try:
        with open("/proc/locks") as f:
            lines = f.readlines()
    except OSError:
        return []
    for line in lines:
        parts = line.split()
        # "1: POSIX  ADVISORY  WRITE 4242 fe:00:2197919 120 120" (a blocked waiter's line has "->")
        if len(parts) < 8 or parts[1] == "->" or parts[3] != "WRITE":
            continue
        try:
            major, minor, inode = parts[5].split(":")
            key = (os.makedev(int(major, 16), int(minor, 16)), int(inode))
            start, end = int(parts[6]), (None if parts[7] == "EOF" else int(parts[7]))
            pid = int(parts[4])
        except ValueError:
            continue
        if key not in targets:
            continue
        if targets[key] and not (start <= 120 and (end is None or end >= 120)):
            continue  # a lock on the -shm file other than the writer's
        if pid not in pids:
            pids.append(pid)
    return [_describe_process(pid) for pid in pids]


def _describe_process(pid: int) -> str:
    if pid == os.getpid():
        return f"process {pid} (this process, another connection)"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            command = " ".join(f.read().replace(b"\0", b" ").decode(errors="replace").split())
    except OSError:
        return f"process {pid}"
    if len(command) > 120:
        command = command[:117] + "..."
    return f"process {pid} ({command})" if command else f"process {pid}"
