"""Block classes by slug, and the process's client for block calls.

Every Block subclass registers itself under its slug when it is defined (the last
class defined for a slug wins, as in Prefect). `block_class(slug, module)` finds the
class for a stored document; when it is not defined in this process it imports the
module the block was saved from, and when that fails says which module to install.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.blocks.core import Block

__all__ = ["UnknownBlockType", "block_class", "known_block_class",
           "register_block_class"]

_classes: dict[str, type[Block]] = {}


class UnknownBlockType(Exception):
    """No Block class for a stored block's type can be found in this process."""


def register_block_class(cls: type[Block]) -> None:
    """Make `cls` the class for its slug."""
    _classes[cls.get_block_type_slug()] = cls


def known_block_class(slug: str) -> type[Block] | None:
    """The Block class registered for `slug` in this process (built-ins included), or None."""
    import headwater.blocks.notifications  # noqa: F401  (the built-in blocks register themselves)
    import headwater.blocks.system  # noqa: F401
    import headwater.blocks.webhook  # noqa: F401
    import headwater.filesystems  # noqa: F401

    return _classes.get(slug)


def block_class(slug: str, module: str | None = None) -> type[Block]:
    """The Block class for `slug`, importing `module` (where it was saved from) if needed.

    Raises:
        UnknownBlockType: no such class here, and `module` cannot provide it; the
            message says which module to install or import.
    """
    import headwater.blocks.notifications  # noqa: F401  (the built-in blocks register themselves)
    import headwater.blocks.system  # noqa: F401
    import headwater.blocks.webhook  # noqa: F401
    import headwater.filesystems  # noqa: F401

    found = _classes.get(slug)
    if found is not None:
        return found
    problem = ""
    if module and module != "__main__":
        try:
            importlib.import_module(module)
        except ImportError as exc:
            top = module.split(".")[0]
            problem = (f" It was saved from the module {module!r}, which cannot be imported here ({exc}): "
                       f"install the package that provides it (for example `pip install {top}`) or put it on "
                       "the Python path.")
        else:
            found = _classes.get(slug)
            if found is not None:
                return found
    elif module == "__main__":
        problem = (" It was defined in the script that saved it (__main__): define or import the class "
                   "before loading the block.")
    hint = problem or " Please ensure that the block class is available in the current environment."
    raise UnknownBlockType(f"No block class found for slug {slug!r}.{hint}")
