"""Artifact keys are lowercase letters, numbers and dashes: anything else is refused with
a pydantic ValidationError (a ValueError) before anything is created."""

from pydantic import ValidationError

from prefect import flow
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact


@flow
def bad_keys():
    for key in ["Upper", "with_underscore", "has space", "slash/es", "ok-key-1", ""]:
        try:
            create_markdown_artifact("x", key=key)
            print(repr(key), "accepted")
        except ValidationError as exc:
            error = exc.errors()[0]
            print(repr(key), "refused:", isinstance(exc, ValueError), error["type"], error["msg"])
    try:
        create_table_artifact("not a table", key="parity-ik-table")
    except ValidationError as exc:
        print("bad table refused:", exc.error_count() > 0)
    try:
        create_link_artifact(None, key="parity-ik-link")
    except ValidationError as exc:
        print("bad link refused:", exc.errors()[0]["loc"])


bad_keys()
