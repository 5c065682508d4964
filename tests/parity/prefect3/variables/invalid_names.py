"""Variable names are lowercase letters, numbers, dashes and underscores, at most 255
characters; others are refused with a ValueError (pydantic's ValidationError) and
nothing is stored. Reading or unsetting such a name finds nothing."""

from prefect.variables import Variable

for name in ["Upper", "has space", "a/b", "dot.ted", "x" * 256, "ok-name_1"]:
    try:
        Variable.set(name, 1, overwrite=True)
        print(repr(name[:12]), "accepted")
        Variable.unset(name)
    except ValueError as exc:
        print(repr(name[:12]), "refused:", type(exc).__name__)

for name in ["Upper", "a/b", "nope-never-set"]:
    print(repr(name), "get:", Variable.get(name, "default"), "unset:", Variable.unset(name))
