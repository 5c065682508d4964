"""result_storage_key alone turns on persistence: a later run rendering the same key
reads the stored result back (state Cached) instead of calling the function again."""
from prefect import flow, task

calls = []


@task(result_storage_key="answer-{parameters[n]}")
def answer(n):
    calls.append(n)
    return n * 2


@flow
def main(n):
    s = answer(n, return_state=True)
    return s.name, s.result()


print(main(21))
print(main(21))
print(main(5))
print(calls)
print(answer.persist_result)
