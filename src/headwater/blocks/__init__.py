"""Blocks: typed configuration and credentials saved by name (`prefect.blocks`).

`headwater.blocks.core.Block` is the base class; `system` (`Secret`, `JSON`, `String`,
`DateTime`), `webhook` (`Webhook`), `notifications` (`CustomWebhookNotificationBlock`)
and `headwater.filesystems` (`LocalFileSystem`, `RemoteFileSystem`) hold the built-in
blocks. See docs/blocks.md. Submodules load on first use: importing this package
costs nothing (the engine imports `headwater.blocks.storage` on its hot path).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Block", "core", "fields", "notifications", "system", "webhook"]

_SUBMODULES = frozenset({"core", "fields", "notifications", "system", "webhook", "registry", "schema", "storage"})


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"headwater.blocks.{name}")
    if name == "Block":
        from headwater.blocks.core import Block

        return Block
    raise AttributeError(f"module 'headwater.blocks' has no attribute {name!r}")
