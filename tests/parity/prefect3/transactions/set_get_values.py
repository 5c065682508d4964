"""A transaction holds values shared by the code inside it: txn.set / txn.get, with a default for missing keys.

Exercises prefect.transactions.transaction and Transaction.set/get (docs: "Transactions")."""
from prefect.transactions import get_transaction, transaction

print("outside:", get_transaction())
with transaction() as txn:
    txn.set("rows", 3)
    print("get:", txn.get("rows"))
    print("default:", txn.get("missing", "fallback"))
    print("active is this one:", get_transaction() is txn)
    try:
        txn.get("missing")
    except ValueError:
        print("missing key raises ValueError")
print("committed:", txn.is_committed())
