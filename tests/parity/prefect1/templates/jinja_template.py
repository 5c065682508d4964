"""JinjaTemplate renders its template with the call's arguments and prefect.context values.

Exercises prefect.tasks.templates.jinja2.JinjaTemplate (docs-v1: api/latest/tasks/templates).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

from prefect import Flow, Parameter
from prefect.tasks.templates.jinja2 import JinjaTemplate

message = JinjaTemplate(name="message body", template="Hi {{ name }}! This is {{ flow_name }}.")
override = JinjaTemplate(template="unused")

with Flow("string-template") as flow:
    name = Parameter("name", default="Marvin")
    text = message(name=name)
    other = override(template="{{ a }} + {{ b }} = {{ a + b }}", a=1, b=2)
    shadow = message(name="Arthur", flow_name="not the flow")

state = flow.run()
print(state.result[text].result)
print(state.result[other].result)
print(state.result[shadow].result)
print(flow.run(name="Ford").result[text].result)
