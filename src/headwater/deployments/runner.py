"""Deployments made from flows in Python, as in `prefect.deployments.runner`.

    deployment = my_flow.to_deployment("nightly", cron="0 3 * * *")   # a RunnerDeployment
    serve(deployment)        # or deploy(deployment, work_pool_name="default")
"""

from headwater.engine.deployments import RunnerDeployment

__all__ = ["RunnerDeployment"]
