"""prefect.logging and prefect.logging.loggers: get_logger names, flow_run_logger /
task_run_logger in state hooks, disable_run_logger for calling a task's .fn directly,
and LogEavesdropper. (Prefect 3 API: prefect.logging.loggers.)"""
import logging

from prefect import flow, task
from prefect.logging import LogEavesdropper, disable_run_logger, get_logger, get_run_logger
from prefect.logging.loggers import flow_run_logger, task_run_logger

messages = []


class Collect(logging.Handler):
    def emit(self, record):
        if not record.getMessage().startswith(("doubling", "task ", "flow ")):
            return  # the engine's own lines differ between systems: only ours are compared
        messages.append(f"{record.levelname} {record.getMessage()} extra={getattr(record, 'stage', None)}")


print("root logger is the package's:", get_logger().name == get_logger().name.split(".")[0])
print("child name ends with:", get_logger("my_module").name.split(".")[-1])


def on_task_done(tsk, task_run, state):
    task_run_logger(task_run, tsk, stage="hook").info(f"task {tsk.name} is {state.name}")


def on_flow_done(flw, flow_run, state):
    flow_run_logger(flow_run, flw, stage="flow-hook").warning(f"flow {flw.name} is {state.name}")


@task(on_completion=[on_task_done])
def double(x: int) -> int:
    get_run_logger().info(f"doubling {x}")
    return 2 * x


@flow(on_completion=[on_flow_done])
def pipeline() -> int:
    return double(21)


handler = Collect()
for name in ("flow_runs", "task_runs"):
    logger = get_logger(name)
    logger.addHandler(handler)
print("flow returned:", pipeline())
print("\n".join(messages))

with disable_run_logger():
    print("task .fn with the run logger disabled:", double.fn(5))
try:
    double.fn(1)
except RuntimeError:
    print("task .fn outside a run: RuntimeError")

with LogEavesdropper("eavesdrop_demo", level=logging.INFO) as heard:
    logging.getLogger("eavesdrop_demo").info("first")
    logging.getLogger("eavesdrop_demo.child").warning("second")
    logging.getLogger("eavesdrop_demo").debug("not heard")
print(heard.text())
