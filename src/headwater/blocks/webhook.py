"""`Webhook` (`prefect.blocks.webhook`): a saved HTTP endpoint to call.

    hook = Webhook(url="https://example.com/hook", headers={"Authorization": "Bearer x"})
    hook.save("deploy-hook")
    response = await Webhook.load("deploy-hook").call({"event": "done"})

The URL and headers are secret (they often carry tokens): masked, encrypted at rest.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, SecretStr

from headwater.blocks.core import Block
from headwater.blocks.fields import SecretDict

__all__ = ["Webhook"]


class Webhook(Block):
    """Block that enables calling webhooks."""

    _block_type_name = "Webhook"

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = Field(
        default="POST", description="The webhook request method. Defaults to `POST`.")
    url: SecretStr = Field(default=..., title="Webhook URL", description="The webhook URL.",
                           examples=["https://hooks.slack.com/XXX"])
    headers: SecretDict = Field(default_factory=lambda: SecretDict({}), title="Webhook Headers",
                                description="A dictionary of headers to send with the webhook request.")
    allow_private_urls: bool = Field(default=True, description="Whether to allow calls to private addresses.")
    verify: bool = Field(default=True, description="Whether or not to enforce a secure connection to the webhook.")

    async def call(self, payload: dict[str, Any] | str | None = None) -> Any:
        """Call the webhook: a string payload is sent as the body, anything else as JSON.

        Returns:
            The `httpx.Response`.

        Raises:
            ValueError: `allow_private_urls` is False and the URL points to a private address.
        """
        import httpx

        url = self.url.get_secret_value()
        if not self.allow_private_urls:
            check_public_url(url)
        content: dict[str, Any] = {"content": payload} if isinstance(payload, str) else {"json": payload}
        async with httpx.AsyncClient(verify=self.verify) as client:
            return await client.request(self.method, url, headers=self.headers.get_secret_value(), **content)


def check_public_url(url: str) -> None:
    """Raise `ValueError` if `url` is not http(s) or its host resolves to a private,
    loopback, link-local or reserved address."""
    import ipaddress
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not a valid URL: it must be http:// or https:// with a host")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, None)}
    except OSError:
        raise ValueError(f"{url!r} is not a valid URL: its host cannot be resolved") from None
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%")[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
            raise ValueError(f"{url!r} is not a valid URL: it resolves to a private address")
