"""`TaskRunView`: one task run of a flow run, as Prefect 1's `prefect.backend.TaskRunView`."""

from __future__ import annotations

from typing import Any

from headwater.backend.states import to_prefect1_state

__all__ = ["TaskRunView"]


class TaskRunView:
    """A task run: its ids, slug, name and Prefect 1 state, read once.

    Args:
        task_run: the client's task run (`headwater.client.schemas.objects.TaskRun`).
        task_slug: Prefect 1's slug of the task (`NAME-K`: the K-th task named NAME in the flow run).
        map_index: its element of a mapped call, or -1.
    """

    def __init__(self, task_run: Any, *, task_slug: str, map_index: int = -1) -> None:
        self.task_run = task_run
        self.task_run_id = str(task_run.id)
        self.task_id = task_run.task_key
        self.task_slug = task_slug
        self.name = task_run.name
        self.flow_run_id = str(task_run.flow_run_id) if task_run.flow_run_id else None
        self.map_index = map_index
        self.state = to_prefect1_state(task_run.state)

    @classmethod
    def from_task_run_id(cls, task_run_id: str) -> TaskRunView:
        """The task run with this id. Raises `ObjectNotFound`."""
        from headwater.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            run = client.read_task_run(task_run_id)
        return cls(run, task_slug=f"{run.task_name or run.name}-1")

    def get_result(self) -> Any:
        """What the task returned, read from where its run kept it.

        Raises:
            ValueError: the task run is not finished (as in Prefect 1).
            HeadwaterError: its result was not kept (the task ran without `persist_result=True`).
        """
        from headwater.exceptions import HeadwaterError, MissingResult

        if not self.state.is_finished():
            raise ValueError("The task result cannot be loaded if it is not finished.")
        try:
            return self.task_run.state.result(raise_on_failure=False)
        except MissingResult:
            raise HeadwaterError(
                f"task run {self.name!r} ({self.task_run_id}) kept no result to read: its result is stored only "
                "when it is persisted (persist_result=True on the task or its flow)") from None

    def __repr__(self) -> str:
        return f"TaskRunView(task_run_id={self.task_run_id!r}, task_slug={self.task_slug!r}, state={self.state!r})"
