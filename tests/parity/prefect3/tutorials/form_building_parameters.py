"""Prefect 3 tutorial "form building": send_marketing_email takes a list of Literal mailing lists,
a pydantic EmailContent (subject max 30 chars, at most 5 attachments) and a bool; valid calls
are coerced from plain dicts, invalid ones are refused before the flow body runs.

Exercises pydantic validation of flow parameters (Literal, BaseModel, Field constraints),
return_state=True on a refused call, the flow's parameter schema (required, properties).
"""
from typing import Literal

from pydantic import BaseModel, Field

from prefect import flow

MailingList = Literal["newsletter", "customers", "beta-testers"]


class EmailContent(BaseModel):
    subject: str = Field(max_length=30)
    body: str = Field(default=...)
    attachments: list[str] = Field(default_factory=list, max_length=5)


sent = []


@flow
def send_marketing_email(
    mailing_list: list[MailingList],
    content: EmailContent,
    test_mode: bool = False,
):
    sent.append((tuple(mailing_list), type(content).__name__, content.subject, len(content.attachments), test_mode))
    return f"sent {content.subject!r} to {', '.join(mailing_list)}"


if __name__ == "__main__":
    print(send_marketing_email(["newsletter"], {"subject": "Spring sale", "body": "Hi!"}))
    print(send_marketing_email(mailing_list=["customers", "beta-testers"],
                               content=EmailContent(subject="Beta", body="Try it", attachments=["a.pdf"]),
                               test_mode="true"))
    bad_calls = {
        "unknown list": (["everyone"], {"subject": "Hello", "body": "x"}),
        "subject too long": (["newsletter"], {"subject": "S" * 31, "body": "x"}),
        "too many attachments": (["newsletter"], {"subject": "Hi", "body": "x", "attachments": list("abcdef")}),
        "missing body": (["newsletter"], {"subject": "Hi"}),
    }
    for label, (lists, content) in bad_calls.items():
        state = send_marketing_email(lists, content, return_state=True)
        print(label, "->", state.type.value, state.name, type(state.result(raise_on_failure=False)).__name__)
    print("sent:", sent)
    schema = send_marketing_email.parameters
    print("required:", sorted(schema.required), "properties:", sorted(schema.properties))
