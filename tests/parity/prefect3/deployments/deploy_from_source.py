"""`flow.from_source(...).deploy(...)` as the "Store flow code" and "Customize job
variables" how-tos write it: code in a local directory deployed to a process work pool
with job variables (`env`), then what the server holds for the deployment (entrypoint,
pull steps, work pool, job variables) and for a run of it that overrides them."""

import contextlib
import io
import os
from pathlib import Path

from prefect import flow, get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.deployments import run_deployment

PACKAGE = flow.__module__.split(".")[0]  # the flow file imports the package this program runs on
FLOW_CODE = '''import os
from {package} import flow, task


@task
def do_something_important(not_so_secret_value: str) -> None:
    print(f"Doing something important with {not_so_secret_value}!")


@flow(log_prints=True)
def some_work():
    environment = os.environ.get("EXECUTION_ENVIRONMENT", "local")
    print(f"Coming to you live from {environment}!")
    not_so_secret_value = os.environ.get("MY_NOT_SO_SECRET_CONFIG")
    if not_so_secret_value is None:
        raise ValueError("You forgot to set MY_NOT_SO_SECRET_CONFIG!")
    do_something_important(not_so_secret_value)
'''

if __name__ == "__main__":
    project = Path("project").resolve()
    (project / "src" / "demo_project").mkdir(parents=True)
    (project / "src" / "demo_project" / "demo_flow.py").write_text(FLOW_CODE.replace("{package}", PACKAGE))
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="local", type="process"), overwrite=True)

    loaded = flow.from_source(source=str(project), entrypoint="src/demo_project/demo_flow.py:some_work")
    print(type(loaded).__name__, loaded.name)
    with contextlib.redirect_stdout(io.StringIO()):  # Prefect prints a summary table; headwater none
        deployment_id = loaded.deploy(
            name="demo-deployment",
            work_pool_name="local",
            job_variables={"env": {"EXECUTION_ENVIRONMENT": os.environ.get("EXECUTION_ENVIRONMENT", "staging"),
                                   "MY_NOT_SO_SECRET_CONFIG": "plumbus"}},
            print_next_steps=False,
        )
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment(deployment_id)
        print(deployment.name, deployment.entrypoint, deployment.work_pool_name)
        print(deployment.job_variables)
        print(deployment.pull_steps == [{"prefect.deployments.steps.set_working_directory":
                                         {"directory": str(project)}}])
        print(client.read_deployment_by_name("some-work/demo-deployment").id == deployment_id)
        run = run_deployment("some-work/demo-deployment", timeout=0,
                             job_variables={"env": {"EXECUTION_ENVIRONMENT": "prod"}})
        print(run.job_variables, run.state.type.value)
        try:
            flow.from_source(source=str(project), entrypoint="src/demo_project/demo_flow.py:missing")
        except Exception as exc:
            print("missing flow:", type(exc).__name__)
        for flow_run in client.read_flow_runs():
            client.delete_flow_run(flow_run.id)
        client.delete_deployment(deployment_id)
