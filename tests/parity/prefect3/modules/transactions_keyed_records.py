"""prefect.transactions: a keyed transaction writes its staged value to a result store on
commit; the next transaction with the same key starts committed and can read it back
(idempotency), unless overwrite=True. (Prefect 3 docs: Transactions, idempotency.)"""
from prefect.results import ResultStore
from prefect.transactions import transaction
from prefect.filesystems import LocalFileSystem

store = ResultStore(result_storage=LocalFileSystem(basepath="records"))

for attempt in range(2):
    with transaction(key="nightly-report", store=store) as txn:
        if txn.is_committed():
            print(f"attempt {attempt}: already done, record holds", txn.read().result)
        else:
            print(f"attempt {attempt}: doing the work")
            txn.stage({"rows": 42})
    print(f"attempt {attempt} ends:", txn.state.name)

with transaction(key="nightly-report", store=store, overwrite=True) as txn:
    print("overwrite starts committed:", txn.is_committed())
    txn.stage({"rows": 43})
with transaction(key="nightly-report", store=store) as txn:
    print("after overwrite:", txn.read().result)

with transaction(key="never-written", store=store) as txn:
    txn.stage("x")
    try:
        with transaction(key="inner", store=store) as inner:
            inner.stage("y")
            raise KeyError("stop")
    except KeyError:
        pass
print("rolled back by the failing child:", txn.state.name, inner.state.name)
print("nothing written:", store.exists("never-written"), store.exists("inner"))
