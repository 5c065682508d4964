"""The import rename that turns a program written for Prefect into one for headwater.

The parity suite runs each program unchanged except for its import statements
(tests/parity/README.md, the contract in PARITY.md):

- ``from prefect_dask... import``    -> ``from headwater_dask... import``
- ``from prefect[.x.y] import``      -> ``from headwater[.x.y] import``
- ``import prefect``                 -> ``import headwater as prefect``
- ``import prefect.x.y``             -> ``import headwater.x.y; import headwater as prefect``
- ``import prefect[.x.y] as z``      -> ``import headwater[.x.y] as z``

Only real import statements are touched: they are found with :mod:`ast`, so a string
or comment mentioning ``prefect`` stays as written, and indented imports (inside a
function or an ``if``) are renamed like top-level ones.
"""

from __future__ import annotations

import ast
import re

__all__ = ["rename_imports"]

_FROM_MODULE = re.compile(r"^(from\s+)prefect(_dask)?(?=[\s.])")


def _renamed_module(name: str) -> str | None:
    """``prefect[.x]`` -> ``headwater[.x]``; ``prefect_dask[.x]`` -> ``headwater_dask[.x]``; else None."""
    head, dot, rest = name.partition(".")
    if head == "prefect":
        return "headwater" + dot + rest
    if head == "prefect_dask":
        return "headwater_dask" + dot + rest
    return None


def _rename_import(node: ast.Import) -> str | None:
    """The text replacing an ``import a, b as c`` statement, or None when nothing is Prefect's."""
    parts: list[str] = []
    changed = False
    for alias in node.names:
        renamed = _renamed_module(alias.name)
        if renamed is None:
            parts.append(f"import {alias.name} as {alias.asname}" if alias.asname else f"import {alias.name}")
            continue
        changed = True
        top = alias.name.partition(".")[0]
        top_renamed = renamed.partition(".")[0]
        if alias.asname:
            parts.append(f"import {renamed} as {alias.asname}")
        elif "." in alias.name:
            # `import prefect.x.y` binds the name `prefect` and loads the submodule.
            parts.append(f"import {renamed}; import {top_renamed} as {top}")
        else:
            parts.append(f"import {renamed} as {top}")
    return "; ".join(parts) if changed else None


def _rename_import_from(segment: str, node: ast.ImportFrom) -> str | None:
    """The text replacing a ``from prefect... import ...`` statement, or None when it is not Prefect's."""
    if node.level or node.module is None or _renamed_module(node.module) is None:
        return None
    renamed, count = _FROM_MODULE.subn(lambda m: f"{m.group(1)}headwater{m.group(2) or ''}", segment, count=1)
    if count != 1:  # e.g. `from \` + newline + `prefect import x`; rebuild the statement instead
        names = ", ".join(f"{a.name} as {a.asname}" if a.asname else a.name for a in node.names)
        return f"from {_renamed_module(node.module)} import {names}"
    return renamed


def rename_imports(source: str) -> str:
    """Return ``source`` with its Prefect import statements rewritten for headwater.

    Args:
        source: a Python program written against Prefect's API.

    Returns:
        The same program, with only the import statements of ``prefect`` and
        ``prefect_dask`` (at any depth of indentation) renamed.

    Raises:
        SyntaxError: the program does not parse, so its imports cannot be found.

    Example:
        >>> rename_imports("import prefect\\nprint('prefect')\\n")
        "import headwater as prefect\\nprint('prefect')\\n"
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def position(lineno: int, col: int) -> int:
        # ast columns are UTF-8 byte offsets within the line.
        line = lines[lineno - 1]
        return offsets[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8"))

    edits: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        assert node.end_lineno is not None and node.end_col_offset is not None
        start = position(node.lineno, node.col_offset)
        end = position(node.end_lineno, node.end_col_offset)
        if isinstance(node, ast.Import):
            replacement = _rename_import(node)
        else:
            replacement = _rename_import_from(source[start:end], node)
        if replacement is not None:
            edits.append((start, end, replacement))

    for start, end, replacement in sorted(edits, reverse=True):
        source = source[:start] + replacement + source[end:]
    return source
