"""prefect.locking.memory.MemoryLockManager: holders, timeouts and expiry, and a
SERIALIZABLE transaction needing a store with a lock manager.
(Prefect 3 API: prefect.locking, prefect.transactions.IsolationLevel.)"""
import threading

from prefect.exceptions import ConfigurationError
from prefect.locking.memory import MemoryLockManager
from prefect.results import ResultStore
from prefect.transactions import IsolationLevel, transaction

locks = MemoryLockManager()
print("same manager:", locks is MemoryLockManager())
print("acquire:", locks.acquire_lock("k", holder="alice"))
print("again by holder:", locks.acquire_lock("k", holder="alice"))
print("locked:", locks.is_locked("k"), "alice holds:", locks.is_lock_holder("k", "alice"),
      "bob holds:", locks.is_lock_holder("k", "bob"))
print("bob with timeout:", locks.acquire_lock("k", holder="bob", acquire_timeout=0.1))
try:
    locks.release_lock("k", holder="bob")
except ValueError:
    print("bob cannot release alice's lock")
print("wait with timeout:", locks.wait_for_lock("k", timeout=0.1))

released = threading.Event()


def bob():
    got = locks.acquire_lock("k", holder="bob")
    print("bob acquired after release:", got, locks.is_lock_holder("k", "bob"))
    locks.release_lock("k", holder="bob")
    released.set()


thread = threading.Thread(target=bob)
thread.start()
locks.release_lock("k", holder="alice")
released.wait(10)
thread.join()
print("free again:", locks.is_locked("k"))

print("expiring lock:", locks.acquire_lock("e", holder="alice", hold_timeout=0.2))
print("bob waits for expiry:", locks.acquire_lock("e", holder="bob", acquire_timeout=5))
locks.release_lock("e", holder="bob")

try:
    with transaction(key="s", store=ResultStore(), isolation_level=IsolationLevel.SERIALIZABLE):
        pass
except ConfigurationError:
    print("SERIALIZABLE without a lock manager: ConfigurationError")

store = ResultStore(lock_manager=MemoryLockManager())
with transaction(key="s", store=store, isolation_level=IsolationLevel.SERIALIZABLE) as txn:
    print("locked inside:", store.is_locked("s"))
    txn.stage("done")
print("unlocked after:", store.is_locked("s"), "committed:", txn.is_committed())
with transaction(key="s", store=store, isolation_level=IsolationLevel.SERIALIZABLE) as txn:
    print("second run committed at start:", txn.is_committed(), txn.read().result)
print("unlocked at the end:", store.is_locked("s"))
