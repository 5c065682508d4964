"""prefect.utilities.annotations: the wrapper objects themselves: value / unwrap,
equality by type, tuple unpacking, repr, freeze validation. (Prefect 3 API reference:
prefect.utilities.annotations.)"""
from prefect.utilities.annotations import NotSet, allow_failure, freeze, opaque, quote, unmapped

for wrapper in (allow_failure, quote, opaque):
    wrapped = wrapper([1, 2])
    (inner,) = wrapped
    print(type(wrapped).__name__, wrapped.value, wrapped.unwrap(), inner, repr(wrapped))
    print("  equal to same:", wrapped == wrapper([1, 2]), "to other kind:", wrapped == unmapped([1, 2]),
          "to tuple:", wrapped == ([1, 2],))
    print("  rewrap:", repr(wrapped.rewrap(3)))
print("unmapped value:", unmapped("x").value)
print("unquote:", quote({"a": 1}).unquote())
print("freeze:", freeze({"id": 3}).unfreeze())
try:
    freeze(object())
except ValueError as exc:
    print("freeze refuses:", exc)
print("NotSet is a class:", isinstance(NotSet, type))
