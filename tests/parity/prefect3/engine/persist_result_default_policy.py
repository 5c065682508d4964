"""persist_result=True without a cache policy: Prefect's default policy (inputs, task
source and flow run id) makes repeated equal calls inside one flow run Cached, but not
across flow runs."""
from prefect import flow, task

calls = []


@task(persist_result=True)
def compute(x):
    calls.append(x)
    return x * 2


@flow
def main():
    return [compute(1, return_state=True).name, compute(1, return_state=True).name, compute(2, return_state=True).name]


print(main())
print(main())
print(calls)
