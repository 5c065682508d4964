"""Prefect 1's template tasks (`prefect.tasks.templates`): `JinjaTemplate` (in `.jinja2`)."""

from headwater.tasks.templates.jinja2 import JinjaTemplate

__all__ = ["JinjaTemplate"]
