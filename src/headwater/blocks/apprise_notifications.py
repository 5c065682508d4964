"""Notification blocks sent through Apprise (https://github.com/caronc/apprise), at
Prefect's names: `AppriseNotificationBlock` (any Apprise URL), `SlackWebhook`,
`MicrosoftTeamsWebhook`, `DiscordWebhook`, `MattermostWebhook`, `OpsgenieWebhook`,
`PagerDutyWebHook`, `TwilioSMS`, `SendgridEmail`.

    SlackWebhook(url="https://hooks.slack.com/services/...").notify("the load failed", subject="nightly")

Apprise is imported when a notification is sent, not when a block is made or loaded:
install it with `pip install "headwater[notifications]"` (an `ImportError` saying so
otherwise). `notify` raises `NotificationError` with Apprise's log when it could not
deliver; in async code it returns a coroutine (and `anotify` is one).
"""

from __future__ import annotations

import logging
from typing import Any, Literal, Optional

from pydantic import Field, SecretStr

from headwater.blocks.notifications import PREFECT_NOTIFY_TYPE_DEFAULT, NotificationBlock, NotificationError
from headwater.core.async_dispatch import dispatch

__all__ = [
    "AbstractAppriseNotificationBlock",
    "AppriseNotificationBlock",
    "DiscordWebhook",
    "MattermostWebhook",
    "MicrosoftTeamsWebhook",
    "OpsgenieWebhook",
    "PagerDutyWebHook",
    "SendgridEmail",
    "SlackWebhook",
    "TwilioSMS",
]

NotifyType = Literal["prefect_default", "info", "success", "warning", "failure"]


def _plugin(module: str, name: str) -> Any:
    """An Apprise plugin class (`apprise.plugins.<module>.<name>`)."""
    import importlib

    return getattr(importlib.import_module(f"apprise.plugins.{module}"), name)


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


class AbstractAppriseNotificationBlock(NotificationBlock):
    """A notification block that sends through Apprise; subclasses say where
    (`apprise_target`: an Apprise URL or plugin instance)."""

    notify_type: NotifyType = Field(default="prefect_default",
                                    description="The type of notification being performed.")

    def apprise_target(self) -> Any:
        """The Apprise URL (or plugin instance) notifications go to."""
        raise NotImplementedError

    def _send(self, body: str, subject: Optional[str]) -> None:
        import warnings

        with warnings.catch_warnings():  # Apprise loads modules Python deprecates (imghdr): not the user's concern
            warnings.simplefilter("ignore", DeprecationWarning)
            self._deliver(body, subject)

    def _deliver(self, body: str, subject: Optional[str]) -> None:
        try:
            from apprise import Apprise, AppriseAsset
        except ImportError:
            raise ImportError(f"{type(self).__name__} sends through Apprise: pip install 'headwater[notifications]'"
                              ) from None
        client = Apprise(asset=AppriseAsset(app_id="Prefect Notifications", app_desc="Prefect Notifications",
                                            app_url="https://prefect.io"))
        if not client.add(self.apprise_target()):
            raise ValueError(f"{type(self).__name__}: Apprise does not accept this destination; check its URL")
        captured = _Captured()
        apprise_log = logging.getLogger("apprise")
        apprise_log.addHandler(captured)
        try:
            kind = "info" if self.notify_type == PREFECT_NOTIFY_TYPE_DEFAULT else self.notify_type
            delivered = client.notify(body=body, title=subject or "", notify_type=kind)
        finally:
            apprise_log.removeHandler(captured)
        if not delivered:
            raise NotificationError(log="\n".join(captured.lines) or "Apprise could not deliver the notification")

    async def anotify(self, body: str, subject: Optional[str] = None) -> None:
        """`notify` for async code."""
        import asyncio

        await asyncio.to_thread(self._send, body, subject)

    def notify(self, body: str, subject: Optional[str] = None, _sync: Optional[bool] = None) -> Any:
        """Send `body` (and `subject`); raises `NotificationError` if it was not delivered."""
        return dispatch(lambda: self._send(body, subject), lambda: self.anotify(body, subject), _sync)


class AppriseNotificationBlock(AbstractAppriseNotificationBlock):
    """Send notifications to any Apprise URL (`json://host/path`, `slack://...`, ...)."""

    url: SecretStr = Field(default=..., title="Webhook URL", examples=["https://hooks.example.com/XXX"],
                           description="Incoming webhook URL used to send notifications.")
    allow_private_urls: bool = Field(default=True, description="Whether to allow notifications to private URLs.")

    def apprise_target(self) -> Any:
        """The Apprise URL notifications go to."""
        url = self.url.get_secret_value()
        if not self.allow_private_urls and url.startswith(("http://", "https://")):
            from headwater.blocks.webhook import check_public_url

            check_public_url(url)
        return url


class SlackWebhook(AppriseNotificationBlock):
    """Send notifications through a Slack incoming webhook."""

    _block_type_name = "Slack Webhook"
    url: SecretStr = Field(default=..., title="Webhook URL", examples=["https://hooks.slack.com/XXX"],
                           description="Slack incoming webhook URL used to send notifications.")


class MicrosoftTeamsWebhook(AppriseNotificationBlock):
    """Send notifications through a Microsoft Teams (Power Automate workflow) webhook."""

    _block_type_name = "Microsoft Teams Webhook"
    _block_type_slug = "ms-teams-webhook"
    url: SecretStr = Field(default=..., title="Webhook URL",
                           description="The Microsoft Power Automate (Workflows) URL used to send notifications.")
    include_image: bool = Field(default=True, description="Include an image with the notification.")
    wrap: bool = Field(default=True, description="Wrap the notification text.")

    def apprise_target(self) -> Any:
        """The Teams workflow as an Apprise URL."""
        workflows = _plugin("workflows", "NotifyWorkflows")
        parsed = workflows.parse_native_url(self.url.get_secret_value())
        if not parsed:
            raise ValueError("Invalid Microsoft Teams Workflow URL provided.")
        return workflows(**{**parsed, "include_image": self.include_image, "wrap": self.wrap}).url()


class PagerDutyWebHook(AbstractAppriseNotificationBlock):
    """Send notifications as PagerDuty events."""

    _block_type_name = "Pager Duty Webhook"
    _block_type_slug = "pager-duty-webhook"
    notify_type: NotifyType = Field(default="info", description="The severity of the notification.")
    integration_key: SecretStr = Field(default=..., description="The PagerDuty integration key.")
    api_key: SecretStr = Field(default=..., description="The PagerDuty API key.")
    source: Optional[str] = Field(default="Prefect", description="The source string as part of the payload.")
    component: str = Field(default="Notification", description="The component string as part of the payload.")
    group: Optional[str] = Field(default=None, description="The group string as part of the payload.")
    class_id: Optional[str] = Field(default=None, title="Class ID", description="The class string of the payload.")
    region_name: Literal["us", "eu"] = Field(default="us", description="The region name.")
    clickable_url: Optional[str] = Field(default=None, title="Clickable URL", description="A clickable URL.")
    include_image: bool = Field(default=True, description="Associate the notification status via a represented icon.")
    custom_details: Optional[dict[str, str]] = Field(default=None, description="Additional details.")

    def apprise_target(self) -> Any:
        """The PagerDuty destination as an Apprise URL."""
        return _plugin("pagerduty", "NotifyPagerDuty")(
            apikey=self.api_key.get_secret_value(), integrationkey=self.integration_key.get_secret_value(),
            source=self.source, component=self.component, group=self.group, class_id=self.class_id,
            region_name=self.region_name, click=self.clickable_url, include_image=self.include_image,
            details=self.custom_details).url()


class TwilioSMS(AbstractAppriseNotificationBlock):
    """Send notifications as text messages through Twilio."""

    _block_type_name = "Twilio SMS"
    _block_type_slug = "twilio-sms"
    account_sid: str = Field(default=..., description="The Twilio account SID.")
    auth_token: SecretStr = Field(default=..., description="The Twilio authentication token.")
    from_phone_number: str = Field(default=..., description="The number messages are sent from.",
                                   examples=["18001234567"])
    to_phone_numbers: list[str] = Field(default=..., description="The numbers messages are sent to.",
                                        examples=["18004242424"])

    def apprise_target(self) -> Any:
        """The Twilio destination as an Apprise URL."""
        return _plugin("twilio", "NotifyTwilio")(
            account_sid=self.account_sid, auth_token=self.auth_token.get_secret_value(),
            source=self.from_phone_number, targets=self.to_phone_numbers).url()


class OpsgenieWebhook(AbstractAppriseNotificationBlock):
    """Send notifications as Opsgenie alerts."""

    _block_type_name = "Opsgenie Webhook"
    _block_type_slug = "opsgenie-webhook"
    apikey: SecretStr = Field(default=..., title="API Key", description="The API key for Opsgenie.")
    target_user: Optional[list[str]] = Field(default=None, description="The users to notify.")
    target_team: Optional[list[str]] = Field(default=None, description="The teams to notify.")
    target_schedule: Optional[list[str]] = Field(default=None, description="The schedules to notify.")
    target_escalation: Optional[list[str]] = Field(default=None, description="The escalations to notify.")
    region_name: Literal["us", "eu"] = Field(default="us", description="The region of the account.")
    batch: bool = Field(default=False, description="Send one notification per target (False) or a batch.")
    tags: Optional[list[str]] = Field(default=None, description="Tags of the alert.")
    priority: Optional[int] = Field(default=3, description="The priority, 1 (lowest) to 5 (highest).")
    alias: Optional[str] = Field(default=None, description="The alias of the alert.")
    entity: Optional[str] = Field(default=None, description="The entity of the alert.")
    details: Optional[dict[str, str]] = Field(default=None, description="Additional details.")

    def apprise_target(self) -> Any:
        """The Opsgenie destination as an Apprise URL."""
        targets = ([f"@{u}" for u in self.target_user or []] + [f"#{t}" for t in self.target_team or []]
                   + [f"*{s}" for s in self.target_schedule or []] + [f"^{e}" for e in self.target_escalation or []])
        return _plugin("opsgenie", "NotifyOpsgenie")(
            apikey=self.apikey.get_secret_value(), targets=targets, region_name=self.region_name,
            details=self.details, priority=self.priority, alias=self.alias, entity=self.entity, batch=self.batch,
            tags=self.tags, action="new").url()


class MattermostWebhook(AbstractAppriseNotificationBlock):
    """Send notifications through a Mattermost incoming webhook."""

    _block_type_name = "Mattermost Webhook"
    _block_type_slug = "mattermost-webhook"
    hostname: str = Field(default=..., description="The hostname of the Mattermost server.",
                          examples=["Mattermost.example.com"])
    secure: bool = Field(default=False, description="Whether to use https.")
    token: SecretStr = Field(default=..., description="The token of the webhook.")
    botname: Optional[str] = Field(title="Bot name", default=None, description="The name of the bot.")
    channels: Optional[list[str]] = Field(default=None, description="The channels to post to.")
    include_image: bool = Field(default=False, description="Whether to include the Apprise status image.")
    path: Optional[str] = Field(default=None, description="An optional sub-path of the webhook URL.")
    port: int = Field(default=8065, description="The port of the Mattermost server.")

    def apprise_target(self) -> Any:
        """The Mattermost destination, as an Apprise plugin instance (its URL drops channels)."""
        return _plugin("mattermost", "NotifyMattermost")(
            token=self.token.get_secret_value(), fullpath=self.path, host=self.hostname, user=self.botname,
            targets=self.channels, include_image=self.include_image, port=self.port, secure=self.secure)


class DiscordWebhook(AbstractAppriseNotificationBlock):
    """Send notifications through a Discord webhook."""

    _block_type_name = "Discord Webhook"
    _block_type_slug = "discord-webhook"
    webhook_id: SecretStr = Field(default=..., description="The first part of the webhook's path (after /webhooks/).")
    webhook_token: SecretStr = Field(default=..., description="The second part of the webhook's path.")
    botname: Optional[str] = Field(title="Bot name", default=None, description="The name of the bot.")
    tts: bool = Field(default=False, description="Whether to read the message aloud.")
    include_image: bool = Field(default=False, description="Whether to include an image with the message.")
    avatar: bool = Field(default=False, description="Whether to override the default avatar.")
    avatar_url: Optional[str] = Field(title="Avatar URL", default=None, description="The avatar's URL.")

    def apprise_target(self) -> Any:
        """The Discord destination as an Apprise URL."""
        return _plugin("discord", "NotifyDiscord")(
            webhook_id=self.webhook_id.get_secret_value(), webhook_token=self.webhook_token.get_secret_value(),
            botname=self.botname, tts=self.tts, include_image=self.include_image, avatar=self.avatar,
            avatar_url=self.avatar_url).url()


class SendgridEmail(AbstractAppriseNotificationBlock):
    """Send notifications as e-mail through SendGrid."""

    _block_type_name = "Sendgrid Email"
    _block_type_slug = "sendgrid-email"
    api_key: SecretStr = Field(default=..., title="API Key", description="The SendGrid API key.")
    sender_email: str = Field(title="Sender email id", description="The sender's e-mail address.",
                              examples=["test-support@gmail.com"])
    to_emails: list[str] = Field(default=..., title="Recipient emails", description="The recipients' addresses.",
                                 examples=["test-support@gmail.com"])

    def apprise_target(self) -> Any:
        """The SendGrid destination as an Apprise URL."""
        return _plugin("sendgrid", "NotifySendGrid")(
            apikey=self.api_key.get_secret_value(), from_email=self.sender_email, targets=self.to_emails).url()
