"""The transaction enums: IsolationLevel, CommitMode and TransactionState members by name.

Exercises prefect.transactions.IsolationLevel / CommitMode / TransactionState."""
from prefect.transactions import CommitMode, IsolationLevel, TransactionState

print([m.name for m in IsolationLevel])
print([m.name for m in CommitMode])
print([m.name for m in TransactionState])
print(IsolationLevel.SERIALIZABLE.value, CommitMode.LAZY.value)
