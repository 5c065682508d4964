"""Notification blocks (`prefect.blocks.notifications`): `CustomWebhookNotificationBlock`.

    CustomWebhookNotificationBlock(
        name="ops", url="https://example.com/notify",
        json_data={"text": "{{subject}}: {{body}}", "token": "{{token}}"},
        secrets={"token": "s3cret"},
    ).notify("the nightly load failed", subject="alert")

Strings in `url`, `params`, `json_data`, `form_data`, `headers` and `cookies` may hold
`{{subject}}`, `{{body}}`, `{{name}}` and `{{<key of secrets>}}` placeholders; any other
placeholder is refused when the block is made.
"""

from __future__ import annotations

import re
from typing import Any, Literal, Optional

from pydantic import Field

from headwater.blocks.core import Block
from headwater.blocks.fields import SecretDict
from headwater.core.async_dispatch import dispatch

__all__ = ["PREFECT_NOTIFY_TYPE_DEFAULT", "CustomWebhookNotificationBlock", "NotificationBlock",
           "NotificationError"]

PREFECT_NOTIFY_TYPE_DEFAULT = "prefect_default"
_PLACEHOLDER = re.compile(r"{{\s*([\w\-]+)\s*}}")


class NotificationError(Exception):
    """A notification could not be sent."""

    def __init__(self, log: str) -> None:
        self.log = log
        super().__init__(log)


class NotificationBlock(Block):
    """A block that sends notifications (`notify(body, subject=None)`)."""

    def notify(self, body: str, subject: str | None = None) -> Any:
        """Send a notification."""
        raise NotImplementedError


def _placeholders(template: Any) -> set[str]:
    if isinstance(template, str):
        return set(_PLACEHOLDER.findall(template))
    if isinstance(template, dict):
        return set().union(*(_placeholders(v) for v in template.values()), *(_placeholders(k) for k in template))
    if isinstance(template, (list, tuple)):
        return set().union(*(_placeholders(v) for v in template))
    return set()


def _substitute(template: Any, values: dict[str, Any]) -> Any:
    if isinstance(template, str):
        whole = _PLACEHOLDER.fullmatch(template)
        if whole is not None:
            return values[whole.group(1)]
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)
    if isinstance(template, dict):
        return {_substitute(k, values): _substitute(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_substitute(v, values) for v in template]
    return template


class CustomWebhookNotificationBlock(NotificationBlock):
    """Enables sending notifications via any custom webhook.

    All nested string param contains `{{key}}` will be substituted with value from context/secrets.

    Context values include: `subject`, `body` and `name`.
    """

    _block_type_name = "Custom Webhook"

    name: str = Field(title="Name", description="Name of the webhook.")
    url: str = Field(title="Webhook URL", description="The webhook URL.", examples=["https://hooks.slack.com/XXX"])
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = Field(
        default="POST", description="The webhook request method. Defaults to `POST`.")
    params: Optional[dict[str, str]] = Field(default=None, title="Query Params", description="Custom query params.")
    json_data: Optional[dict[str, Any]] = Field(default=None, title="JSON Data", description="Send json data as payload.")
    form_data: Optional[dict[str, str] | str] = Field(
        default=None, title="Form Data", description="Send form data as payload. Should not be used together with "
        "_JSON Data_. Can be a dictionary for form-encoded data or a string for raw body content.")
    headers: Optional[dict[str, str]] = Field(None, description="Custom headers.")
    cookies: Optional[dict[str, str]] = Field(None, description="Custom cookies.")
    timeout: float = Field(default=10, description="Request timeout in seconds. Defaults to 10.")
    allow_private_urls: bool = Field(default=True, description="Whether to allow notifications to private URLs.")
    secrets: SecretDict = Field(default_factory=lambda: SecretDict({}), title="Custom Secret Values",
                                description="A dictionary of secret values to be substituted in other configs.")

    def block_initialization(self) -> None:
        if self.form_data is not None and self.json_data is not None:
            raise ValueError("both `Form Data` and `JSON Data` provided")
        allowed = {"subject", "body", "name", *self.secrets.get_secret_value().keys()}
        for field in ("url", "params", "form_data", "json_data", "headers", "cookies"):
            for placeholder in sorted(_placeholders(getattr(self, field)) - allowed):
                raise KeyError(f"{field}/{placeholder}")

    def _request_args(self, body: str, subject: str | None) -> dict[str, Any]:
        values = {**self.secrets.get_secret_value(), "subject": "null" if subject is None else subject,
                  "body": body, "name": self.name}
        data_key = "content" if isinstance(self.form_data, str) else "data"
        args: dict[str, Any] = _substitute({"method": self.method, "url": self.url, "params": self.params,
                                            data_key: self.form_data, "json": self.json_data,
                                            "headers": self.headers, "timeout": self.timeout}, values)
        return args

    def _notify(self, body: str, subject: str | None) -> None:
        import httpx

        from headwater.blocks.webhook import check_public_url

        args = self._request_args(body, subject)
        if not self.allow_private_urls:
            check_public_url(args["url"])
        with httpx.Client(headers={"user-agent": "Prefect Notifications"}, cookies=self.cookies or {}) as client:
            client.request(**args).raise_for_status()

    async def anotify(self, body: str, subject: str | None = None) -> None:
        """`notify` for async code."""
        import asyncio

        await asyncio.to_thread(self._notify, body, subject)

    def notify(self, body: str, subject: str | None = None, _sync: bool | None = None) -> Any:
        """Send `body` (and `subject`) to the webhook; raises `httpx.HTTPStatusError` on an
        error status. Returns a coroutine in async code."""
        return dispatch(lambda: self._notify(body, subject), lambda: self.anotify(body, subject), _sync)


# The Apprise-based blocks (blocks/apprise_notifications.py) at Prefect's module path.
from headwater.blocks.apprise_notifications import (  # noqa: E402  (they build on the classes above)
    AbstractAppriseNotificationBlock,
    AppriseNotificationBlock,
    DiscordWebhook,
    MattermostWebhook,
    MicrosoftTeamsWebhook,
    OpsgenieWebhook,
    PagerDutyWebHook,
    SendgridEmail,
    SlackWebhook,
    TwilioSMS,
)

__all__ += ["AbstractAppriseNotificationBlock", "AppriseNotificationBlock", "DiscordWebhook", "MattermostWebhook",
            "MicrosoftTeamsWebhook", "OpsgenieWebhook", "PagerDutyWebHook", "SendgridEmail", "SlackWebhook",
            "TwilioSMS"]
