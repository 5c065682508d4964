"""Find a flow from an entrypoint string.

An entrypoint names a flow the way `headwater run`, deployments and workers refer to
it: `path/to/file.py:flow_function` or `package.module:flow_function`.

A file is executed as a module whose `__name__` is not `"__main__"` (so the file's
`if __name__ == "__main__":` block does not run), with the file's directory put on
`sys.path` so its sibling imports resolve, and registered in `sys.modules` under a
name that re-imports it, so functions defined in it can be pickled to child
processes. Every way this can fail is an `EntrypointError` naming the cause.

Example:
    >>> pipeline = load_flow("flows/etl.py:pipeline")  # doctest: +SKIP
    >>> pipeline(n=3)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from headwater.exceptions import EntrypointError, MissingFlowError  # noqa: F401 (the one exception tree)

if TYPE_CHECKING:
    from headwater.engine.flows import Flow

__all__ = ["EntrypointError", "find_flows", "load_flow", "load_source", "split_entrypoint"]

_FORMAT_HINT = "use path/to/file.py:flow_function or package.module:flow_function"


def split_entrypoint(entrypoint: str) -> tuple[str, str]:
    """Split an entrypoint into its source (a file path or module path) and attribute.

    The last `:` separates them, so Windows paths such as `C:\\flows\\etl.py:main` work.

    Raises:
        EntrypointError: there is no `:` or either side is empty.
    """
    source, sep, attribute = entrypoint.strip().rpartition(":")
    if not sep or not source or not attribute:
        raise EntrypointError(f"entrypoint {entrypoint!r} names no flow function; {_FORMAT_HINT}")
    return source, attribute


def load_flow(entrypoint: str) -> Flow[Any, Any]:
    """Load the flow an entrypoint names.

    Args:
        entrypoint: `path/to/file.py:flow_function` or `package.module:flow_function`.
            The attribute may be dotted (`module:namespace.flow_function`).

    Returns:
        The `Flow` object (the `@flow`-decorated function).

    Raises:
        EntrypointError: the entrypoint is malformed, the file or module is missing or
            fails to import (the message names the file and line), the attribute does
            not exist (the message lists the flows that do), or it is not a flow.
    """
    source, attribute = split_entrypoint(entrypoint)
    module = load_source(source)
    return _flow_attribute(module, attribute, source)


def load_source(source: str) -> ModuleType:
    """Import a file path (ending in `.py` or containing a path separator) or a module path.

    Raises:
        EntrypointError: the file or module is missing or fails to import.
    """
    if source.endswith(".py") or "/" in source or "\\" in source:
        return _load_file(source)
    return _import_module(source)


def find_flows(module: ModuleType) -> dict[str, Flow[Any, Any]]:
    """Return the flows a module defines or imports, by attribute name."""
    flow_class = _flow_class()
    return {name: value for name, value in vars(module).items() if isinstance(value, flow_class)}


def _flow_class() -> type[Flow[Any, Any]]:
    # Imported on use: loading an entrypoint must not make `import headwater.cli` heavy.
    from headwater.engine.flows import Flow

    return Flow


def _flow_attribute(module: ModuleType, attribute: str, source: str) -> Flow[Any, Any]:
    value: Any = module
    try:
        for part in attribute.split("."):
            value = getattr(value, part)
    except AttributeError:
        flows = sorted(find_flows(module))
        found = f"flows found: {', '.join(flows)}" if flows else "no flows found there; decorate a function with @flow"
        raise MissingFlowError(f"{source} has no attribute {attribute!r} ({found})") from None
    if not isinstance(value, _flow_class()):
        raise EntrypointError(
            f"{attribute!r} in {source} is {_describe(value)}, not a flow; decorate it with @flow"
        )
    return value


def _describe(value: Any) -> str:
    kind = type(value).__name__
    if kind == "Task":
        return "a task"
    if kind == "function":
        return "a plain function"
    return f"an object of type {kind}"


def _load_file(source: str) -> ModuleType:
    path = Path(source).expanduser()
    if not path.exists():
        raise EntrypointError(f"no such file: {source}")
    if path.is_dir():
        raise EntrypointError(f"{source} is a directory; {_FORMAT_HINT}")
    if path.suffix != ".py":
        raise EntrypointError(f"{source} is not a Python file (.py); {_FORMAT_HINT}")
    path = path.resolve()
    directory = str(path.parent)
    # Kept on sys.path after loading: flow bodies may import siblings lazily, and
    # spawned child processes inherit sys.path to re-import this module by name.
    if directory not in sys.path:
        sys.path.insert(0, directory)
    # Files written moments ago (by a test or a deploy step) must be seen.
    importlib.invalidate_caches()
    name = _module_name_for(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise EntrypointError(f"cannot load {source} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:
        sys.modules.pop(name, None)
        raise EntrypointError(f"cannot load {source}: {_explain(exc, path)}") from exc
    if name != path.stem:
        # The module cannot be re-imported under its name elsewhere, so its
        # functions must travel by value when pickled to another process.
        import cloudpickle

        cloudpickle.register_pickle_by_value(module)
    return module


def _module_name_for(path: Path) -> str:
    """The file's stem when importing that name finds this very file, else a unique name."""
    stem = path.stem
    if stem.isidentifier():
        loaded = sys.modules.get(stem)
        if loaded is None or _same_file(getattr(loaded, "__file__", None), path):
            try:
                spec = importlib.util.find_spec(stem) if loaded is None else None
            except (ImportError, ValueError):
                spec = None
            if loaded is not None or (spec is not None and _same_file(spec.origin, path)):
                return stem
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    safe_stem = "".join(c if c.isalnum() else "_" for c in stem)
    return f"headwater_entrypoint_{safe_stem}_{digest}"


def _same_file(filename: str | None, path: Path) -> bool:
    return filename is not None and Path(filename).resolve() == path


def _import_module(source: str) -> ModuleType:
    if not all(part.isidentifier() for part in source.split(".")):
        raise EntrypointError(f"{source!r} is neither a .py file nor a module path; {_FORMAT_HINT}")
    importlib.invalidate_caches()
    try:
        return importlib.import_module(source)
    except ModuleNotFoundError as exc:
        if exc.name and (source == exc.name or source.startswith(exc.name + ".")):
            raise EntrypointError(
                f"no module named {exc.name!r}; check the spelling, install the package, "
                "or run from the directory that contains it"
            ) from None
        raise EntrypointError(f"cannot import {source}: {_explain(exc, None)}") from exc
    except (Exception, SystemExit) as exc:
        raise EntrypointError(f"cannot import {source}: {_explain(exc, None)}") from exc


def _explain(exc: BaseException, path: Path | None) -> str:
    """One line: the error and where it happened (the loaded file's line when known)."""
    if isinstance(exc, SyntaxError):
        where = f"line {exc.lineno}"
        if exc.filename and (path is None or not _same_file(exc.filename, path)):
            where = f"{exc.filename}, {where}"
        code = f": {exc.text.strip()}" if exc.text and exc.text.strip() else ""
        return f"SyntaxError: {exc.msg} ({where}){code}"
    if isinstance(exc, SystemExit):
        return f"the code called sys.exit({exc.code!r}) while being imported"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith("<frozen")]
    if path is not None:
        # The line in the user's file that led to the error, not one deep in a library.
        own = [f for f in frames if _same_file(f.filename, path)]
        frames = own or frames
    where = f" ({Path(frames[-1].filename).name}, line {frames[-1].lineno})" if frames else ""
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}{where}" if message else f"{type(exc).__name__}{where}"
