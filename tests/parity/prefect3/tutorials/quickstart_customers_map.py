"""Prefect 3 quickstart (01_getting_started.py): get_customer_ids feeds process_customer.map and
the flow returns the mapped futures; the random customer ids are seeded so the run is repeatable.

Exercises Task.map inside a flow, returning a PrefectFutureList from a flow (resolved to values).
"""
import random

from prefect import flow, task

@task
def get_customer_ids() -> list[str]:
    # Fetch customer IDs from a database or API (seeded here, inside the task, so the draw
    # does not depend on how much randomness the engine itself used before)
    random.seed(2024)
    return [f"customer{n}" for n in random.choices(range(100), k=10)]


@task
def process_customer(customer_id: str) -> str:
    # Process a single customer
    return f"Processed {customer_id}"


@flow
def main() -> list[str]:
    customer_ids = get_customer_ids()
    # Map the process_customer task across all customer IDs
    results = process_customer.map(customer_ids)
    return results


if __name__ == "__main__":
    out = main()
    print(type(out).__name__, len(out))
    for item in out:  # Prefect hands back what the flow returned, futures resolved
        print(type(item).__name__, item.result() if hasattr(item, "result") else item)
    state = main(return_state=True)
    print(state.name, len(state.result()))
