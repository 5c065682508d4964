"""Flows and tasks as classmethods and staticmethods (decorator order: @classmethod /
@staticmethod above @flow / @task), as Prefect 3 documents for methods."""
from prefect import flow, task


class Tools:
    base = 100

    @classmethod
    @task
    def add_base(cls, x):
        return cls.base + x

    @staticmethod
    @task
    def double(x):
        return 2 * x

    @classmethod
    @flow
    def combine(cls, x):
        return cls.add_base(cls.double(x))

    @staticmethod
    @flow
    def plain(x):
        return Tools.double(x) + 1


class Other(Tools):
    base = 1000


print(Tools.combine(1))
print(Other.combine(1))
print(Tools.plain(5))
print(Tools().plain(6))
print(Tools.add_base(7))
s = Tools.combine(2, return_state=True)
print(s.is_completed(), s.result())
