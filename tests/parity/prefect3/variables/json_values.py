"""Variable values are any JSON: each kind round-trips through Variable.set and get;
a tuple comes back as a list; a value that is not JSON is refused with a ValueError."""

from prefect.variables import Variable

NAME = "parity_json_value"
Variable.unset(NAME)

values = ["text", "", 42, -1.5, True, False, None, [1, "two", None, [3]], {"a": {"b": [1, 2]}, "c": None},
          (1, 2), {"unicode": "héllo ✓"}]
for value in values:
    Variable.set(NAME, value, overwrite=True)
    back = Variable.get(NAME)
    print(type(value).__name__, "->", type(back).__name__, repr(back), back == value)

for bad in [object(), {1, 2}]:
    try:
        Variable.set(NAME, bad, overwrite=True)
    except ValueError as exc:
        print("refused", type(bad).__name__, "ValueError:", isinstance(exc, ValueError))
print("kept:", Variable.get(NAME))
Variable.unset(NAME)
