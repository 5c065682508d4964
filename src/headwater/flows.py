"""Flows, as in `prefect.flows`: the `flow` decorator and `Flow`."""

from headwater.engine.flows import Flow, flow

__all__ = ["Flow", "flow"]
