"""Prefect 1's control flow for static flows (`prefect.tasks.control_flow`)."""

from headwater.tasks.control_flow.case import case
from headwater.tasks.control_flow.conditional import ifelse, merge, switch
from headwater.tasks.control_flow.filter import FilterTask

__all__ = ["FilterTask", "case", "ifelse", "merge", "switch"]
