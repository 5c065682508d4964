"""Job variables: a process work pool with a base job template, a deployment's
job_variables, a run's own over them (create_flow_run_from_deployment, run_deployment),
and a value failing the template's schema refused when the run is created
(prefect.client, prefect.deployments.run_deployment)."""

from prefect import flow, get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.deployments import run_deployment

TEMPLATE = {
    "job_configuration": {"env": "{{ env }}", "stream_output": "{{ stream_output }}",
                          "working_dir": "{{ working_dir }}", "command": "{{ command }}"},
    "variables": {
        "type": "object",
        "properties": {
            "env": {"type": "object", "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
            "stream_output": {"type": "boolean", "default": True},
            "working_dir": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
            "command": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        },
    },
}


@flow
def report(region: str = "eu") -> None:
    pass


with get_client(sync_client=True) as client:
    pool = client.create_work_pool(WorkPoolCreate(name="jv-parity-pool", type="process",
                                                  base_job_template=TEMPLATE), overwrite=True)
    print(pool.type, sorted(pool.base_job_template["variables"]["properties"]))
    flow_id = client.create_flow_from_name("report")
    deployment_id = client.create_deployment(flow_id=flow_id, name="jv-parity", entrypoint="report.py:report",
                                             work_pool_name="jv-parity-pool",
                                             job_variables={"env": {"MODE": "deployment"}})
    deployment = client.read_deployment(deployment_id)
    print(deployment.work_pool_name, deployment.job_variables)

    run = client.create_flow_run_from_deployment(deployment_id, job_variables={"env": {"MODE": "run"},
                                                                               "stream_output": False})
    print(run.job_variables)
    print(client.read_flow_run(run.id).job_variables)
    try:
        client.create_flow_run_from_deployment(deployment_id, job_variables={"stream_output": "loud"})
    except Exception:
        print("refused: stream_output must be a boolean")
    try:
        client.create_flow_run_from_deployment(deployment_id, job_variables={"env": {"A": 1}})
    except Exception:
        print("refused: env values must be strings")

run = run_deployment("report/jv-parity", job_variables={"working_dir": "/tmp"}, timeout=0)
print(run.job_variables)
with get_client(sync_client=True) as client:
    for flow_run in client.read_flow_runs():
        client.delete_flow_run(flow_run.id)
    client.delete_deployment(deployment_id)
