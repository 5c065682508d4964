"""Tasks defined as instance, class and static methods, called from a flow.

Exercises @task on methods (Prefect 3 binds self/cls for method tasks)."""
from prefect import flow, task


class Calculator:
    base = 100

    def __init__(self, step: int):
        self.step = step

    @task
    def add(self, x: int) -> int:
        return x + self.step

    @classmethod
    @task
    def from_base(cls, x: int) -> int:
        return cls.base - x

    @staticmethod
    @task
    def square(x: int) -> int:
        return x * x


@flow
def use_methods():
    c = Calculator(3)
    a = c.add(1)
    b = Calculator.from_base(1)
    s = c.square(5)
    fut = c.add.submit(10)
    return a, b, s, fut.result()


print(use_methods())
