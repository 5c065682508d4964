"""Stable hashing of task inputs, for cache keys.

A cache key must come out the same for equal inputs in another process, on another
machine, on another day. So nothing here depends on `id()`, on `hash()` (salted per
process for strings), on dict or set order, or on cloudpickle's output (which
changes with memo order and interpreter details). Values are walked and fed into
BLAKE2b as typed, length-prefixed tokens:

- scalars, strings, bytes, containers: by value (dicts and sets ignore order);
- dataclasses: their class and their fields; pydantic models: their class and what
  they serialise to (`model_dump(mode="json")`, as Prefect hashes them);
- NumPy arrays and pandas objects: dtype, shape and content, when those libraries
  are already imported (they are never imported here, nor required);
- functions and classes: where they are defined (and a function's code);
- anything else: what pickle would store for it (`__reduce_ex__`), walked the same
  way, so an object is hashed by its state, never by its address.

Something that has no state to hash by (a lock, an open file, a socket, a client
holding those) raises `UnhashableValue`, naming the type that stopped the walk.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import sys
import types
from collections.abc import Callable
from typing import Any

from headwater.exceptions import UnhashableValue  # noqa: F401 (the one exception tree)

__all__ = ["UnhashableValue", "hash_objects", "hash_value"]

_MAX_DEPTH = 100  # each level costs several Python frames; stay far below the recursion limit

_SCALARS = (str, int, float, bytes, bytearray)
# Values whose repr is exact, stable and type-specific: hashed as type name + repr.
# Looked up in sys.modules when needed: a Decimal input means `decimal` is imported,
# and `import headwater.cache_policies` does not pay for modules nobody uses.
_BY_REPR = {
    "datetime": ("datetime", "date", "time", "timedelta", "timezone"),
    "decimal": ("Decimal",),
    "fractions": ("Fraction",),
    "uuid": ("UUID",),
    "pathlib": ("PurePath",),
}


def _repr_types() -> tuple[type, ...]:
    found: list[type] = [range, complex]
    for module_name, names in _BY_REPR.items():
        module = sys.modules.get(module_name)
        if module is not None:
            found.extend(getattr(module, name) for name in names)
    return tuple(found)


def hash_objects(*values: Any) -> str:
    """Return a stable hex digest (32 characters) of `values`.

    Raises:
        UnhashableValue: a value (or something inside it) cannot be hashed by content.

    Example:
        >>> hash_objects({"a": 1, "b": 2}) == hash_objects({"b": 2, "a": 1})
        True
    """
    hasher = Hasher()
    try:
        hasher.feed(values)
    except RecursionError:
        raise UnhashableValue(_type_name(values[0]) if len(values) == 1 else "tuple", "nested too deeply") from None
    return hasher.hexdigest()


def hash_value(value: Any) -> bytes:
    """Return the stable 16-byte digest of one value (see `hash_objects`)."""
    hasher = Hasher()
    hasher.feed(value)
    return hasher.digest()


def _qualified_name(obj: Any) -> str:
    return f"{getattr(obj, '__module__', None) or '?'}.{getattr(obj, '__qualname__', None) or obj.__name__}"


def _type_name(value: Any) -> str:
    kind = type(value)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


class Hasher:
    """Feeds values into one BLAKE2b state as typed tokens."""

    __slots__ = ("_h", "_update", "_path")

    def __init__(self) -> None:
        self._h = hashlib.blake2b(digest_size=16)
        self._update = self._h.update
        self._path: dict[int, int] = {}  # id -> depth, for the objects being walked (cycles)

    def digest(self) -> bytes:
        return self._h.digest()

    def hexdigest(self) -> str:
        return self._h.hexdigest()

    def _token(self, tag: bytes, data: bytes) -> None:
        self._update(b"%s%d:" % (tag, len(data)))
        self._update(data)

    def feed(self, value: Any) -> None:
        handler = _EXACT.get(type(value))
        if handler is not None:
            handler(self, value)
        else:
            self.walk(value, self._feed_object)

    def walk(self, value: Any, feed_parts: Callable[[Any], None]) -> None:
        """Feed a value that can contain others, guarding against cycles and depth."""
        key = id(value)
        depth = self._path.get(key)
        if depth is not None:
            # A cycle: refer to the enclosing object by depth, which is the same in every process.
            self._token(b"@", b"%d" % depth)
            return
        if len(self._path) >= _MAX_DEPTH:
            raise UnhashableValue(_type_name(value), f"nested more than {_MAX_DEPTH} levels deep")
        self._path[key] = len(self._path)
        try:
            feed_parts(value)
        finally:
            del self._path[key]

    # -- containers ------------------------------------------------------------------
    def _sequence(self, tag: bytes, items: Any) -> None:
        self._token(tag, b"%d" % len(items))
        for item in items:
            self.feed(item)

    def _mapping(self, mapping: Any) -> None:
        items = list(mapping.items())
        self._token(b"{", b"%d" % len(items))
        if all(type(k) is str for k, _ in items):
            for k, v in sorted(items, key=_first):
                self._str(k)
                self.feed(v)
            return
        # Mixed keys cannot be sorted as such: order the pairs by their keys' digests.
        pairs = sorted(((hash_value(k), v) for k, v in items), key=_first)
        for digest, v in pairs:
            self._token(b"k", digest)
            self.feed(v)

    def _set(self, items: Any) -> None:
        digests = sorted(hash_value(item) for item in items)
        self._token(b"<", b"%d" % len(digests))
        for digest in digests:
            self._update(digest)

    # -- scalars ---------------------------------------------------------------------
    def _str(self, value: str) -> None:
        self._token(b"s", value.encode("utf-8", "surrogatepass"))

    def _feed_object(self, value: Any) -> None:
        kind = type(value)
        if isinstance(value, enum.Enum):
            self._token(b"E", _qualified_name(kind).encode())
            self.feed(value.value)
        elif isinstance(value, _repr_types()):
            self._token(b"r", f"{_qualified_name(kind)}:{value!r}".encode())
        elif isinstance(value, _SCALARS):  # a subclass of a builtin scalar
            self._token(b"T", _qualified_name(kind).encode())
            _EXACT[next(base for base in _SCALARS if isinstance(value, base))](self, value)
            self._attributes(value)
        elif isinstance(value, (list, tuple)):
            self._token(b"T", _qualified_name(kind).encode())
            self._sequence(b"[", value)
            self._attributes(value)
        elif isinstance(value, dict):
            self._token(b"T", _qualified_name(kind).encode())
            self._mapping(value)
            self._attributes(value)
        elif isinstance(value, (set, frozenset)):
            self._token(b"T", _qualified_name(kind).encode())
            self._set(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            self._token(b"D", _qualified_name(kind).encode())
            for field in dataclasses.fields(value):
                self._str(field.name)
                self.feed(getattr(value, field.name))
        elif _is_pydantic_model(value):
            self._pydantic(value, kind)
        elif isinstance(value, (types.FunctionType, types.MethodType, types.BuiltinFunctionType, type,
                                types.ModuleType)):
            self._code_object(value)
        elif not self._array_like(value, kind):
            self._reduced(value)

    def _attributes(self, value: Any) -> None:
        state = getattr(value, "__dict__", None)
        if state:
            self._mapping(state)

    def _pydantic(self, value: Any, kind: type) -> None:
        self._token(b"P", _qualified_name(kind).encode())
        try:
            # As in Prefect: what the model serialises to is its content (fields excluded
            # from dumps do not count; a field_serializer's output does).
            dumped = value.model_dump(mode="json")
        except Exception:  # a field pydantic cannot dump: hash the fields themselves
            dumped = None
        if dumped is not None:
            self.feed(dumped)
            return
        for name in type(value).model_fields:
            self._str(name)
            self.feed(getattr(value, name))
        extra = getattr(value, "__pydantic_extra__", None)
        if extra:
            self._mapping(extra)

    def _code_object(self, value: Any) -> None:
        if isinstance(value, types.ModuleType):
            self._token(b"M", value.__name__.encode())
            return
        if isinstance(value, types.MethodType):
            self._token(b"m", _qualified_name(value.__func__).encode())
            self.feed(value.__self__)
            return
        self._token(b"F", _qualified_name(value).encode())
        code = getattr(value, "__code__", None)
        if code is not None:
            # Two lambdas share a qualified name; their code tells them apart.
            self._token(b"c", code.co_code)
            self.feed(tuple(c for c in code.co_consts if not isinstance(c, types.CodeType)))

    def _array_like(self, value: Any, kind: type) -> bool:
        """Hash NumPy and pandas objects by content; False if `value` is neither."""
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            if isinstance(value, numpy.ndarray):
                self._token(b"A", f"{value.dtype.str}{value.shape}".encode())
                if value.dtype.hasobject:
                    self.feed(value.tolist())
                else:
                    self._token(b"y", numpy.ascontiguousarray(value).tobytes())
                return True
            if isinstance(value, numpy.generic):
                self._token(b"a", value.dtype.str.encode())
                self._token(b"y", value.tobytes())
                return True
        pandas = sys.modules.get("pandas")
        if pandas is not None and isinstance(value, (pandas.DataFrame, pandas.Series, pandas.Index)):
            self._token(b"D", _qualified_name(kind).encode())
            if isinstance(value, pandas.DataFrame):
                self.feed([str(c) for c in value.columns])
                self.feed([str(t) for t in value.dtypes])
            else:
                self.feed(str(value.name) if value.name is not None else None)
                self._token(b"t", str(value.dtype).encode())
            try:
                rows = pandas.util.hash_pandas_object(value, index=not isinstance(value, pandas.Index))
                self._token(b"y", rows.to_numpy().tobytes())
            except TypeError:  # cells pandas cannot hash (lists, dicts): walk them instead
                self.feed(value.to_numpy().tolist())
                if not isinstance(value, pandas.Index):
                    self.feed(value.index.tolist())
            return True
        return False

    def _reduced(self, value: Any) -> None:
        """Hash what pickle would store for `value`: its constructor and its state."""
        try:
            reduced = value.__reduce_ex__(4)
        except Exception as exc:
            raise UnhashableValue(_type_name(value), str(exc) or type(exc).__name__) from None
        if isinstance(reduced, str):  # a module-level singleton, named
            self._token(b"G", f"{_type_name(value)}:{reduced}".encode())
            return
        constructor, args, *rest = (*reduced, None, None, None, None)[:5]
        self._token(b"R", _qualified_name(constructor).encode())
        self.feed(args)
        state, list_items, dict_items = rest[0], rest[1], rest[2]
        self.feed(state)
        if list_items is not None:
            self.feed(list(list_items))
        if dict_items is not None:
            self._mapping(dict(dict_items))


def _first(pair: tuple[Any, Any]) -> Any:
    return pair[0]


def _is_pydantic_model(value: Any) -> bool:
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(value, pydantic.BaseModel)


def _none(h: Hasher, value: Any) -> None:
    h._update(b"N")


def _bool(h: Hasher, value: bool) -> None:
    h._update(b"b1" if value else b"b0")


def _int(h: Hasher, value: int) -> None:
    h._token(b"i", b"%d" % value)


def _float(h: Hasher, value: float) -> None:
    h._token(b"f", value.hex().encode())


def _bytes(h: Hasher, value: bytes | bytearray) -> None:
    h._token(b"y", bytes(value))


def _list(h: Hasher, value: list[Any]) -> None:
    h._sequence(b"[", value)


def _tuple(h: Hasher, value: tuple[Any, ...]) -> None:
    h._sequence(b"(", value)


def _dict(h: Hasher, value: dict[Any, Any]) -> None:
    h._mapping(value)


def _set(h: Hasher, value: set[Any] | frozenset[Any]) -> None:
    h._set(value)


def _container(handler: Callable[[Hasher, Any], None]) -> Callable[[Hasher, Any], None]:
    def guarded(h: Hasher, value: Any) -> None:
        h.walk(value, lambda v: handler(h, v))

    return guarded


# By exact type: the common inputs (ints, strings, small containers) cost one dict
# lookup; subclasses and everything else go through `Hasher._feed_object`.
_EXACT: dict[type, Callable[[Hasher, Any], None]] = {
    type(None): _none,
    bool: _bool,
    int: _int,
    float: _float,
    str: Hasher._str,
    bytes: _bytes,
    bytearray: _bytes,
    list: _container(_list),
    tuple: _container(_tuple),
    dict: _container(_dict),
    set: _container(_set),
    frozenset: _container(_set),
}
