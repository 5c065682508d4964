"""prefect.utilities.callables: binding calls to parameter dicts and back, **kwargs, mapping."""
from prefect.utilities.annotations import unmapped
from prefect.utilities.callables import (
    call_with_parameters,
    collapse_variadic_parameters,
    expand_mapping_parameters,
    explode_variadic_parameter,
    get_call_parameters,
    get_parameter_defaults,
    parameters_to_args_kwargs,
    raise_for_reserved_arguments,
)
from prefect.exceptions import (
    MappingLengthMismatch,
    MappingMissingIterable,
    ParameterBindError,
    ReservedArgumentError,
    SignatureMismatchError,
)


def f(a, b=2, *args, c=3, **kw):
    return (a, b, args, c, kw)


def g(x, y):
    return x + y


def h(a, /, b, *, c):
    return a, b, c


print(get_call_parameters(f, (1,), {}))
print(get_call_parameters(f, (1, 5, 6, 7), {"c": 4, "z": 9}))
print(get_call_parameters(f, (1,), {}, apply_defaults=False))
try:
    get_call_parameters(f, (), {})
except ParameterBindError as exc:
    print("ParameterBindError", isinstance(exc, TypeError))
print(get_parameter_defaults(f))
print(parameters_to_args_kwargs(f, {"a": 1, "args": (5, 6), "c": 4, "kw": {"z": 9}}))
print(parameters_to_args_kwargs(f, {"a": 1, "c": 4}))
print(parameters_to_args_kwargs(h, {"a": 1, "b": 2, "c": 3}))
try:
    parameters_to_args_kwargs(f, {"q": 1})
except SignatureMismatchError as exc:
    print("SignatureMismatchError", exc)
print(call_with_parameters(g, {"x": 1, "y": 2}))
print(call_with_parameters(f, {"a": 1, "args": (7,), "kw": {"k": 0}}))
print(explode_variadic_parameter(f, {"a": 1, "kw": {"z": 9}}))
print(collapse_variadic_parameters(f, {"a": 1, "z": 9}))
print(expand_mapping_parameters(g, {"x": [1, 2, 3], "y": unmapped(10)}))
print(expand_mapping_parameters(g, {"x": (1, 2), "y": 5}))
try:
    expand_mapping_parameters(g, {"x": [1, 2, 3], "y": [1]})
except MappingLengthMismatch as exc:
    print("MappingLengthMismatch", exc)
try:
    expand_mapping_parameters(g, {"x": unmapped(1), "y": 2})
except MappingMissingIterable:
    print("MappingMissingIterable")
try:
    raise_for_reserved_arguments(g, ["x"])
except ReservedArgumentError as exc:
    print("ReservedArgumentError", exc, isinstance(exc, TypeError))
raise_for_reserved_arguments(g, ["z"])
print("done")
