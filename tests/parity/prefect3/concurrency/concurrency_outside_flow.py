"""concurrency() can be used in plain code outside any flow or task, on a limit that does not exist.

Exercises prefect.concurrency.sync.concurrency with a list of names."""
from prefect.concurrency.sync import concurrency

with concurrency(["parity-a", "parity-b"], occupy=2):
    print("inside")
print("after")
