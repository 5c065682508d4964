"""Flows and tasks defined as instance methods: `self` is bound and not a parameter.

Exercises @flow/@task on methods (Prefect docs: "Flows and tasks on classes")."""
from prefect import flow, task


class Pipeline:
    def __init__(self, factor):
        self.factor = factor

    @task
    def scale(self, x):
        return x * self.factor

    @flow
    def run(self, values):
        return [self.scale(v) for v in values]

    @flow(flow_run_name="run-{n}")
    def named(self, n):
        return self.scale(n)


p = Pipeline(3)
print(p.run([1, 2, 3]))
print(p.named(5))
print(Pipeline(10).scale(2))
state = p.run([4], return_state=True)
print(state.type.value, state.result())
print(p.run.name, Pipeline.run.name, p.scale.name)
