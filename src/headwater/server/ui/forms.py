"""Reading the UI's HTML forms (url-encoded) without another dependency."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import Request

__all__ = ["FormTooLarge", "read_form"]

MAX_FORM_BYTES = 1024 * 1024


class FormTooLarge(ValueError):
    """A form post larger than `MAX_FORM_BYTES`."""


async def read_form(request: Request) -> dict[str, str]:
    """The fields of a url-encoded form post (the last value wins for a repeated name).

    Raises:
        FormTooLarge: the body is larger than a form ever needs.
    """
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise FormTooLarge(f"the form is larger than {MAX_FORM_BYTES} bytes")
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
