"""prefect.transactions with isolation_level=SERIALIZABLE: two threads open a transaction
on the same key; the second waits for the first to commit, then finds the record
committed and does not redo the work. (Prefect 3 docs: Transactions, isolation levels.)"""
import threading

from prefect.locking.memory import MemoryLockManager
from prefect.results import ResultStore
from prefect.transactions import IsolationLevel, transaction

store = ResultStore(lock_manager=MemoryLockManager())
first_inside = threading.Event()
log = []


def worker(name: str) -> None:
    if name == "second":
        first_inside.wait(10)
    with transaction(key="shared-report", store=store, isolation_level=IsolationLevel.SERIALIZABLE) as txn:
        if name == "first":
            first_inside.set()
            # the second worker is now waiting for the lock held here
            log.append(f"{name}: committed at start={txn.is_committed()}, doing the work")
            txn.stage(f"written by {name}")
        else:
            log.append(f"{name}: committed at start={txn.is_committed()}, found {txn.read().result!r}")


threads = [threading.Thread(target=worker, args=(n,)) for n in ("first", "second")]
for t in threads:
    t.start()
for t in threads:
    t.join(30)
print("\n".join(log))
print("lock free at the end:", not store.is_locked("shared-report"))
