"""A nested transaction with CommitMode.LAZY is staged, not committed, until its parent commits.

Exercises nested transactions, commit modes and Transaction.get_parent()."""
from prefect.transactions import CommitMode, transaction

with transaction(commit_mode=CommitMode.EAGER) as outer:
    with transaction(commit_mode=CommitMode.LAZY) as inner:
        print("parent is outer:", inner.get_parent() is outer)
    print("inner staged:", inner.is_staged(), "committed:", inner.is_committed())
print("after outer: inner committed:", inner.is_committed(), "outer committed:", outer.is_committed())
