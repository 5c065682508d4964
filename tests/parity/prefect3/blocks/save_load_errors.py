"""Errors of save, load and delete: an unknown name, a taken name without overwrite,
deleting what is not there, an invalid name (Prefect API: Block.save/load/delete)."""
from prefect.blocks.core import Block


class Settings(Block):
    level: int = 1


try:
    Settings.load("missing")
except ValueError as exc:
    print("ValueError:", exc)

try:
    Block.load("settings/missing")
except ValueError as exc:
    print("ValueError:", exc)

Settings(level=2).save("taken")
try:
    Settings(level=3).save("taken")
except ValueError as exc:
    print("ValueError:", exc)
print(Settings.load("taken").level)

try:
    Settings.delete("missing")
except ValueError as exc:
    print("ValueError:", exc)

try:
    Settings(level=4).save("Not Valid")
except ValueError as exc:
    print("refused:", type(exc).__mro__[1].__name__ if type(exc).__name__ == "ValidationError" else "ValueError")

try:
    Settings().save()
except ValueError as exc:
    print("ValueError:", exc)
