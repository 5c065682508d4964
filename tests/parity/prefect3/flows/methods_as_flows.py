"""Flows defined as instance, class and static methods are called like the methods.

Exercises @flow on methods (Prefect 3 supports instance, class and static method flows)."""
from prefect import flow


class Pipeline:
    factor = 10

    def __init__(self, offset: int):
        self.offset = offset

    @flow
    def run(self, x: int) -> int:
        return x + self.offset

    @classmethod
    @flow
    def scaled(cls, x: int) -> int:
        return x * cls.factor

    @staticmethod
    @flow
    def plain(x: int) -> int:
        return -x


p = Pipeline(5)
print(p.run(1))
print(Pipeline.scaled(3))
print(p.scaled(4))
print(Pipeline.plain(2))
print(p.plain(9))
