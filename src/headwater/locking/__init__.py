"""Lock managers for transactions with `isolation_level=SERIALIZABLE`, as in `prefect.locking`.

    protocol.py     LockManager: what a result store asks of its lock manager
    memory.py       MemoryLockManager: locks in this process (threads)
    filesystem.py   FileSystemLockManager: lock files in a directory (processes on one machine)

A lock has a holder (a string naming who holds it) and, optionally, an expiry
(`hold_timeout`): an expired lock is free, so a holder that died never blocks the
others for good. Expiry is computed from timestamps when the lock is looked at.
"""

from headwater.locking.protocol import LockManager

__all__ = ["LockManager"]
