"""Blocks: typed configuration and credentials saved by name (`prefect.blocks`).

`headwater.blocks.core.Block` is the base class; `system` (`Secret`, `JSON`, `String`,
`DateTime`), `webhook` (`Webhook`), `notifications` (`CustomWebhookNotificationBlock`)
and `headwater.filesystems` (`LocalFileSystem`, `RemoteFileSystem`) hold the built-in
blocks. See docs/blocks.md.
"""

from __future__ import annotations

from headwater.blocks import core, notifications, system, webhook
from headwater.blocks.core import Block

__all__ = ["Block", "core", "notifications", "system", "webhook"]

