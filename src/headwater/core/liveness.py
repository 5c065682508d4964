"""Whether a process is provably alive: the same host, the same pid, the same start time.

A heartbeat or lease renewal that did not come is no proof of death: a task that holds
the GIL (a long call into C) stops every Python thread of its process, the one that
heartbeats included. So before the store declares a holder dead it asks, where it can:
on the host the holder recorded (its node name, boot and PID namespace),
`/proc/<pid>/stat` tells whether that pid runs, is a zombie, and when it started
(field 22, clock ticks since boot), so a reused pid is not mistaken for the holder. Another host, or a system without `/proc`, proves nothing:
then only the heartbeat counts.

Standard library only (the engine records its identity in `python flow.py`).
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["identity", "is_provably_alive", "stat_fields", "this_host"]


def _host_name() -> str:
    """The node name, with this boot and PID namespace where the system tells them: two
    machines can share a node name (a default one), and two containers a node name and a
    boot (a Kubernetes pod's) but not their pids; a pid is only checked where it means
    the same process."""
    name = os.uname().nodename or "?"
    try:
        with open("/proc/sys/kernel/random/boot_id") as f:
            name += "+" + f.read().strip()[:8]
        name += f"+pidns{os.stat('/proc/self/ns/pid').st_ino}"
    except OSError:
        pass
    # ":" separates the parts of a flow run's recorded process ("host:pid:start", store/processes.py),
    # and the name is part of file names (store/spill.py).
    return name.replace(":", "_").replace("/", "_").replace("@", "_")


_HOST = _host_name()
_mine: tuple[int, str] | None = None


def this_host() -> str:
    """This machine's name, as holders and flow runs record it ("?" if the system has none)."""
    return _HOST


def stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (the state first; the start time,
    field 22 of the line, at index 19), or None when there is no such process or no /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read().decode(errors="replace")
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces or parentheses itself.
    return text[text.rfind(")") + 2:].split()


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot, or None when it has ended,
    is a zombie, or the system does not tell."""
    fields = stat_fields(pid)
    if fields is None or len(fields) < 20 or fields[0] in ("Z", "X"):
        return None
    return fields[19]


def identity() -> dict[str, Any]:
    """This process: {"host", "pid", "started"} ("started" "" where the system does not tell)."""
    global _mine
    pid = os.getpid()
    if _mine is None or _mine[0] != pid:  # computed once per process (a fork computes its own)
        _mine = (pid, _start_ticks(pid) or "")
    return {"host": _HOST, "pid": pid, "started": _mine[1]}


def is_provably_alive(holder: Any) -> bool:
    """Whether the process a holder recorded (`identity()`'s keys) runs on this host now."""
    if not isinstance(holder, dict) or holder.get("host") != _HOST:
        return False
    pid, started = holder.get("pid"), holder.get("started")
    if not isinstance(pid, int) or pid <= 0 or not isinstance(started, str) or not started:
        return False
    return _start_ticks(pid) == started
