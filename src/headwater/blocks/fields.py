"""Field types for blocks (`prefect.blocks.fields`).

`SecretDict`: a dict whose values are all secret. It shows as `SecretDict('**********')`,
is masked in the API and UI, and is encrypted at rest when its block is saved.
"""

from __future__ import annotations

from typing import Any

import pydantic

__all__ = ["SecretDict"]


class SecretDict(pydantic.Secret[dict[str, Any]]):
    """A dict of secret values: `SecretDict({"token": "..."}).get_secret_value()`."""
