"""A task or flow whose function is a generator, or returns a generator object: what the
call returns and what its state holds. Deliberate difference: see generator_returned.headwater.out."""
from prefect import flow, task


@task
def numbers(n):
    for i in range(n):
        yield i


@flow
def uses_gen_task():
    gen = numbers(3)
    print("task call type is list:", isinstance(gen, list))
    return list(gen)


@flow
def gen_flow(n):
    for i in range(n):
        yield i * 10


print(uses_gen_task())
out = gen_flow(2)
print(list(out))


@task
def returns_generator(n):
    return (i * i for i in range(n))


@flow
def flow_returning_generator(n):
    inner = returns_generator(n)
    print("task returned", type(inner).__name__)
    st = returns_generator(n, return_state=True)
    print("task state result", st.result())
    return (x + 1 for x in inner)


r = flow_returning_generator(3)
print(type(r).__name__, r)
s = flow_returning_generator(2, return_state=True)
print(s.type.value, s.name, type(s.result()).__name__, s.result())


@flow
def gen_consumer():
    g = returns_generator(3)
    return list(g)


print(gen_consumer())
