"""The process worker type: a run's job prepared from the pool's template and the run's
job variables (env over the worker's, working_dir, command, stream_output), and the
errors that fail a run before it starts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from headwater.core.deployment_schemas import ClaimedRun
from headwater.core.job_templates import (
    check_base_job_template,
    check_job_variables,
    default_base_job_template,
    merge_job_variables,
    render_job_configuration,
)
from headwater.exceptions import ParameterValidationError
from headwater.worker.types import JobPreparationError, ProcessWorkerType, worker_type_for

RUN = ClaimedRun(flow_run_id="r", flow_run_name="n", flow_name="f", deployment_id="d", deployment_name="dn",
                 entrypoint="x.py:f", scheduled_time=0.0)


def prepared(**variables: object) -> object:
    template = default_base_job_template("process")
    configuration = render_job_configuration(template, merge_job_variables(template, variables))
    return ProcessWorkerType().prepare(RUN, configuration, env={"KEEP": "1", "DROP": "2"})


def test_the_process_type_applies_the_variables(tmp_path: Path) -> None:
    job = prepared(env={"MODE": "prod", "DROP": None}, working_dir=str(tmp_path), stream_output=False,
                   command="python -X utf8 -m headwater.worker.child")
    assert job.env == {"KEEP": "1", "MODE": "prod"}  # type: ignore[attr-defined]
    assert job.working_dir == str(tmp_path) and job.stream_output is False  # type: ignore[attr-defined]
    assert job.command == ["python", "-X", "utf8", "-m", "headwater.worker.child"]  # type: ignore[attr-defined]
    default = prepared()
    assert default.command == [sys.executable, "-m", "headwater.worker.child"]  # type: ignore[attr-defined]
    assert default.stream_output is True and default.working_dir is None  # type: ignore[attr-defined]


def test_what_fails_a_run_before_it_starts(tmp_path: Path) -> None:
    with pytest.raises(JobPreparationError, match="working_dir '.*nowhere' is not a directory"):
        prepared(working_dir=str(tmp_path / "nowhere"))
    with pytest.raises(JobPreparationError, match="cannot be split into words"):
        prepared(command='python "unclosed')
    with pytest.raises(JobPreparationError, match="cannot run pools of type 'docker'; it knows process"):
        worker_type_for("docker")


def test_templates_and_variables_are_checked() -> None:
    template = default_base_job_template("process")
    check_base_job_template(template)
    check_job_variables(template, {"env": {"A": "1"}}, {"stream_output": False}, final=True, what="a run")
    with pytest.raises(ParameterValidationError, match='job_variables.stream_output: "no" is not of type "boolean"'):
        check_job_variables(template, {"stream_output": "no"}, final=True, what="a run")
    with pytest.raises(ParameterValidationError, match="unexpected key"):
        check_base_job_template({"job_configuration": {}, "variables": {}, "extra": 1})
    with pytest.raises(ParameterValidationError, match="unknown work pool type 'docker'"):
        default_base_job_template("docker")
    required = {**template, "variables": {**template["variables"], "required": ["env"]}}
    check_job_variables(required, {}, final=False, what="a deployment")  # a run may still give it
    with pytest.raises(ParameterValidationError, match="invalid job variables for a run: job_variables: \"env\" "
                                                       "is a required property"):
        check_job_variables(required, {}, final=True, what="a run")
