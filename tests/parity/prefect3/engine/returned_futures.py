"""What a flow returns when its return value holds futures: each future becomes its final
state (Prefect 3 resolves returned futures to states), in dicts and lists alike."""
from prefect import flow, task


@task
def double(x):
    return 2 * x


@flow
def returns_dict():
    return {"a": double.submit(1), "b": [double.submit(2)], "c": 3}


@flow
def returns_one():
    return double.submit(5)


@flow
def returns_result():
    return double.submit(6).result()


d = returns_dict()
print(sorted(d))
print(type(d["a"]).__name__, d["a"].result(), [s.result() for s in d["b"]], d["c"])
one = returns_one()
print(type(one).__name__)
s = returns_one(return_state=True)
print(s.type.value, s.message)
print(returns_result())
