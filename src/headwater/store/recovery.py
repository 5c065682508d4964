"""Setting history straight when a store opens: runs of dead processes, spilled records.

`recover_history` runs whenever a process opens the database through the `Store`
(`open_store`: the CLI, the UI, the server, a worker) and in
`headwater database recover`; the embedded writer does the same in its own thread
without SQLAlchemy (store/sqlite_recovery.py, store/spill.py). Both steps cost one
indexed read and one directory listing when there is nothing to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from headwater.core import clock
from headwater.exceptions import StoreError
from headwater.store.spill import replay_spills

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.store.store import Store

__all__ = ["Recovered", "recover_history", "recover_quietly"]


@dataclass
class Recovered:
    """What `recover_history` did."""

    crashed: list[str] = field(default_factory=list)
    """Flow runs ended Crashed because their process was gone."""
    records: int = 0
    """Records written from spill files."""
    files: list[Path] = field(default_factory=list)
    """The spill files written (and deleted)."""


def recover_history(store: Store, settings: Settings) -> Recovered:
    """Write spilled records for this database, then end the runs of dead processes.

    Raises:
        StoreError: the database failed (a spill file being written stays for the next process).
    """
    done = Recovered()
    done.records, done.files = replay_spills(Path(settings.home), settings.database_url_resolved,
                                             store.history.write)
    done.crashed = store.maintenance.crash_dead_processes(clock.now(), settings.zombie_after_seconds)
    return done


def recover_quietly(store: Store, settings: Settings) -> None:
    """`recover_history`, leaving any failure to the caller's own use of the store (a
    read-only home can still be read; a locked one is tried again by the next process)."""
    try:
        recover_history(store, settings)
    except (StoreError, OSError, ValueError):
        pass
