"""prefect.transactions: commit modes (LAZY default, EAGER, OFF), nested transactions,
values shared with txn.set/get through parents, and the transaction states.
(Prefect 3 API: prefect.transactions.transaction, CommitMode, TransactionState.)"""
from prefect.transactions import CommitMode, TransactionState, get_transaction, transaction

events = []


def hook(label):
    def run(txn):
        events.append(f"{label} ({txn.state.name})")
    run.__name__ = f"hook_{label.replace(' ', '_')}"
    return run


print("outside:", get_transaction())

with transaction() as outer:
    print("outer mode:", outer.commit_mode, "isolation:", outer.isolation_level, "state:", outer.state)
    outer.set("shared", [1, 2])
    with transaction() as inner:
        print("inner inherits mode:", inner.commit_mode)
        print("inner sees parent value:", inner.get("shared"))
        print("missing with default:", inner.get("nope", "default"))
        try:
            inner.get("nope")
        except ValueError as exc:
            print("missing:", exc)
        inner.stage("value", on_commit_hooks=[hook("inner commit")], on_rollback_hooks=[hook("inner rollback")])
        print("inner staged:", inner.is_staged())
        print("current is inner:", get_transaction() is inner)
    print("after inner block:", inner.state.name, "children:", len(outer.children))
    print("current is outer:", get_transaction() is outer)
    value = outer.get("shared")
    value.append(3)
    print("get returns a copy:", outer.get("shared"))
print("after outer block:", outer.state.name, inner.state.name, events)

events.clear()
with transaction() as outer:
    with transaction(commit_mode=CommitMode.EAGER) as eager:
        eager.stage(1, on_commit_hooks=[hook("eager commit")])
    print("eager committed inside parent:", eager.is_committed(), events)
    with transaction(commit_mode=CommitMode.OFF) as off:
        off.stage(2, on_commit_hooks=[hook("off commit")], on_rollback_hooks=[hook("off rollback")])
    print("off, nested:", off.state.name)
print("after parent:", off.state.name, events)

events.clear()
with transaction(commit_mode=CommitMode.OFF) as alone:
    alone.stage(3, on_rollback_hooks=[hook("alone rollback")])
print("OFF at top level:", alone.state.name, events)

events.clear()
try:
    with transaction() as failing:
        failing.stage(4, on_rollback_hooks=[hook("first"), hook("second")])
        raise RuntimeError("boom")
except RuntimeError as exc:
    print("raised:", exc)
print("rolled back newest first:", failing.state == TransactionState.ROLLED_BACK, events)
print("rollback again:", failing.rollback(), "commit after rollback:", failing.commit())
