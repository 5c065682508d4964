"""Prefect 1's `JinjaTemplate` task: render a Jinja template with the run's context and arguments.

    greeting = JinjaTemplate(template="Hi {{ name }}! Today is {{ today }}.")
    with Flow("hello") as flow:
        text = greeting(name=Parameter("name"))
"""

from __future__ import annotations

from typing import Any

from headwater.engine.tasks import Task

__all__ = ["JinjaTemplate"]


class JinjaTemplate(Task[..., Any]):
    """A task returning `template` rendered with its keyword arguments and `prefect.context`.

    Keyword arguments win over context values of the same name (`today`, `flow_name`,
    `parameters`, ...), as in Prefect 1.

    Args:
        template: the Jinja template (a `template=` argument of the call overrides it).
        **kwargs: other task options.
    """

    def __init__(self, template: str | None = None, **kwargs: Any) -> None:
        self.template = template or ""
        super().__init__(**kwargs)

    def run(self, template: str | None = None, **format_kwargs: Any) -> str:
        """The rendered text."""
        from jinja2 import Template  # a dependency of the web UI; loaded only when a template renders

        from headwater.engine.static.context import context

        with context(**format_kwargs) as values:
            rendered: str = Template(template if template is not None else self.template).render(**values)
        return rendered
