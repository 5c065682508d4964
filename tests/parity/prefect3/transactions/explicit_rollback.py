"""Calling txn.rollback() inside the block rolls back; the state predicates reflect it and commit does not happen.

Exercises Transaction.rollback(), is_rolled_back(), is_committed()."""
from prefect.transactions import transaction

with transaction() as txn:
    print("active:", txn.is_active())
    result = txn.rollback()
    print("rollback returned", result)
print("rolled back:", txn.is_rolled_back())
print("committed:", txn.is_committed())
