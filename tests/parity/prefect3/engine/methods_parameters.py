"""Which parameters a method flow and task record (is `self` among them?), as seen
through prefect.runtime."""
from prefect import flow, task
from prefect.runtime import flow_run, task_run


class Job:
    def __init__(self, label):
        self.label = label

    @task
    def step(self, x):
        return sorted(task_run.parameters)

    @flow
    def run(self, x, y=2):
        return sorted(flow_run.parameters), self.step(x)


print(Job("j").run(1))
