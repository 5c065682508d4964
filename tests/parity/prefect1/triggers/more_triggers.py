"""all_finished, not_all_skipped, some_successful(at_least=, at_most=) and some_failed(at_least=), on
probes with skip_on_upstream_skip=False so skipped upstreams reach the trigger.

Exercises the remaining prefect.triggers (docs-v1: api/latest/triggers).
"""
import logging
import sys

from prefect import Flow, task
from prefect.engine.signals import SKIP
from prefect.triggers import all_finished, not_all_skipped, some_failed, some_successful

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def good():
    return 1


@task
def bad():
    raise ValueError("bad")


@task
def skipped():
    raise SKIP("skip me")


@task
def probe():
    return "ran"


with Flow("more-triggers") as flow:
    g1, g2, b, s = good(), good(), bad(), skipped()
    checks = {
        "all_finished": probe(task_args=dict(skip_on_upstream_skip=False, name="all_finished", trigger=all_finished), upstream_tasks=[g1, b, s]),
        "not_all_skipped": probe(task_args=dict(skip_on_upstream_skip=False, name="not_all_skipped", trigger=not_all_skipped), upstream_tasks=[s, g1]),
        "not_all_skipped_only_skips": probe(task_args=dict(skip_on_upstream_skip=False, name="nas2", trigger=not_all_skipped), upstream_tasks=[s]),
        "some_successful_2": probe(task_args=dict(skip_on_upstream_skip=False, name="ss2", trigger=some_successful(at_least=2)), upstream_tasks=[g1, g2, b]),
        "some_successful_3": probe(task_args=dict(skip_on_upstream_skip=False, name="ss3", trigger=some_successful(at_least=3)), upstream_tasks=[g1, g2, b]),
        "some_successful_max1": probe(task_args=dict(skip_on_upstream_skip=False, name="ssm", trigger=some_successful(at_most=1)), upstream_tasks=[g1, g2]),
        "some_failed_1": probe(task_args=dict(skip_on_upstream_skip=False, name="sf1", trigger=some_failed(at_least=1)), upstream_tasks=[g1, b]),
        "some_failed_frac": probe(task_args=dict(skip_on_upstream_skip=False, name="sff", trigger=some_failed(at_least=0.9)), upstream_tasks=[g1, b]),
    }

state = flow.run()
for label, ref in checks.items():
    print(label, type(state.result[ref]).__name__)
