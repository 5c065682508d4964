"""A flow the Resume form test runs: it pauses for an `Order` and prints its run id
first, then the input it got."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from headwater import flow
from headwater.flow_runs import pause_flow_run
from headwater.input import RunInput
from headwater.runtime import flow_run


class Order(RunInput):
    approved: bool
    copies: int = Field(default=1, ge=1, le=10, description="how many to print")
    reviewer: str = Field(pattern="^[a-z]+$", description="lower-case login")
    paper: Literal["a4", "letter"] = "a4"


@flow
def printing() -> str:
    print(flow_run.id, flush=True)
    order = pause_flow_run(
        wait_for_input=Order.with_initial_data(description="Check the proof, then approve the print run."),
        timeout=120, poll_interval=0.2)
    print("order", order.approved, order.copies, order.reviewer, order.paper, flush=True)
    return order.reviewer


if __name__ == "__main__":
    printing()
