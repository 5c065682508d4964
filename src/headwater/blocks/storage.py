"""File-system blocks as `result_storage=`: checked when a task or flow is defined,
resolved from a slug when results are written.

- `check_result_storage(value)` (no I/O): a Block that was never saved is refused, as
  Prefect refuses it (`TypeError`); save it first, or give a path.
- `resolve_result_storage(value)`: a string `"<block-type-slug>/<block-name>"` whose
  slug is a file-system block class (`local-file-system`, `remote-file-system`, or a
  user's) is the saved block, loaded once per process and settings; any other value
  is returned as it is (a path, an fsspec URL, a block object).
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

__all__ = ["check_result_storage", "resolve_result_storage"]

_SLUG = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)/([a-z0-9-]+)$")
_loaded: dict[tuple[int, str], Any] = {}
_lock = threading.Lock()


def check_result_storage(value: Any) -> None:
    """Refuse a block that was never saved as result storage.

    Raises:
        InvalidDefinitionError: (a `TypeError`) `value` is an unsaved block.
    """
    if value is None or isinstance(value, str) or "headwater.blocks.core" not in sys.modules:
        return  # no Block class was ever imported: `value` cannot be one
    from headwater.blocks.core import Block
    from headwater.exceptions import InvalidDefinitionError

    if isinstance(value, Block) and value._block_document_id is None:
        raise InvalidDefinitionError(
            f"result_storage={value!r} is a block that was never saved: save it first "
            f"(.save('name')) and pass it or its slug ('{value.get_block_type_slug()}/name'), or pass a path")


def resolve_result_storage(value: Any) -> Any:
    """The storage `value` names (see the module docstring).

    Raises:
        ValueError: `value` names a file-system block that does not exist.
    """
    if not isinstance(value, str):
        return value
    match = _SLUG.match(value)
    if match is None:
        return value
    from headwater.blocks.registry import known_block_class
    from headwater.filesystems import WritableFileSystem

    cls = known_block_class(match.group(1))
    if cls is None or not issubclass(cls, WritableFileSystem):
        return value  # a relative directory that happens to look like a slug
    from headwater.core.settings import get_settings

    key = (id(get_settings()), value)
    found = _loaded.get(key)
    if found is None:
        block = cls.load(match.group(2), _sync=True)
        with _lock:
            found = _loaded.setdefault(key, block)
    return found
