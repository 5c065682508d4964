"""System blocks (`prefect.blocks.system`): `Secret`, and `JSON`, `String` and `DateTime`
(which Prefect 3 removed; kept here so Prefect 2 code keeps loading its blocks).

    Secret(value="sk-123").save("api-key")
    Secret.load("api-key").get()        # 'sk-123'
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar, Union

from pydantic import Field, JsonValue, SecretStr, StrictStr, field_validator
from pydantic import Secret as PydanticSecret

from headwater.blocks.core import Block

__all__ = ["JSON", "DateTime", "Secret", "String"]

_SecretValue = Union[Annotated[StrictStr, Field(title="string")], Annotated[JsonValue, Field(title="JSON")]]
T = TypeVar("T", bound=_SecretValue)


class Secret(Block, Generic[T]):
    """A secret value (a string or any JSON): masked wherever it is shown, encrypted at rest.

    Example:
        >>> Secret(value="sk-1234567890").save("api-key", overwrite=True)  # doctest: +SKIP
        >>> Secret.load("api-key").get()  # doctest: +SKIP
        'sk-1234567890'
    """

    _description = ("A block that represents a secret value. The value stored in this block will be obfuscated "
                    "when this block is viewed or edited in the UI.")

    value: Union[SecretStr, PydanticSecret[T]] = Field(
        default=..., description="A value that should be kept secret.",
        examples=["sk-1234567890", {"username": "johndoe", "password": "s3cr3t"}],
        json_schema_extra={"writeOnly": True, "format": "password"},
    )

    @field_validator("value", mode="before")
    @classmethod
    def _wrap_value(cls, value: Any) -> Any:
        if isinstance(value, (PydanticSecret, SecretStr)):
            return value
        return PydanticSecret[type(value)](value)  # type: ignore[misc,operator]  # parametrized by the value's runtime type

    def get(self) -> Any:
        """The secret value; a string holding JSON is returned parsed, as Prefect does."""
        value = self.value.get_secret_value()
        if isinstance(value, str):
            try:
                return json.loads(value)
            except (TypeError, json.JSONDecodeError):
                return value
        return value


class JSON(Block):
    """Any JSON value (a Prefect 2 block)."""

    _description = "A block that represents JSON. Deprecated in Prefect 3, where Variables replace it."

    value: Any = Field(default=..., description="A JSON-compatible value.")


class String(Block):
    """A string (a Prefect 2 block)."""

    _description = "A block that represents a string. Deprecated in Prefect 3, where Variables replace it."

    value: str = Field(default=..., description="A string value.")


class DateTime(Block):
    """A date and time (a Prefect 2 block)."""

    _block_type_name = "Date Time"
    _description = "A block that represents a datetime. Deprecated in Prefect 3, where Variables replace it."

    value: datetime = Field(default=..., description="An ISO 8601-compatible datetime value.")
