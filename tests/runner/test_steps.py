"""Deployment steps and templating, in process: outputs passed on by field and by id,
variables and environment placeholders, unknown steps refused before any runs, and
the pull steps a worker's run process takes before loading a flow."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from headwater.deployments.steps import StepError, check_steps, run_step, run_steps
from headwater.deployments.templating import TemplateError, apply_values, resolve_references
from headwater.engine.code_source import load_flow_after_pull_steps


def test_outputs_flow_to_later_steps_by_field_and_by_id(tmp_path: Path) -> None:
    outputs = run_steps([
        {"prefect.deployments.steps.run_shell_script": {"id": "first", "script": "echo one"}},
        {"headwater.deployments.steps.run_shell_script": {"id": "second", "script": "echo {{ first.stdout }}-two"}},
        {"prefect.deployments.steps.set_working_directory": {"directory": str(tmp_path)}},
    ])
    assert outputs["first"] == {"stdout": "one", "stderr": ""}
    assert outputs["second"]["stdout"] == "one-two"
    assert outputs["directory"] == str(tmp_path) and os.getcwd() == str(tmp_path)


def test_shell_scripts_as_prefect_yaml_docs_write_them(monkeypatch: pytest.MonkeyPatch) -> None:
    # What Prefect 3.9.1's run_shell_script printed for the same steps (prefect.yaml docs):
    # `shell: true` runs the line in the shell; `expand_env_vars` reads the step's `env` too.
    monkeypatch.setenv("DS_WHO", "marvin")
    monkeypatch.delenv("DS_NOPE", raising=False)
    outputs = run_steps([
        {"prefect.deployments.steps.run_shell_script": {
            "id": "get-user", "script": "echo User: $DS_WHO $NAME ${NAME}x $DS_NOPE", "env": {"NAME": "World"},
            "stream_output": False, "expand_env_vars": True}},
        {"prefect.deployments.steps.run_shell_script": {
            "id": "piped", "script": "echo \"hello world\" | tr '[:lower:]' '[:upper:]'", "shell": True,
            "stream_output": False}},
        {"prefect.deployments.steps.run_shell_script": {"id": "plain", "script": "echo $DS_WHO\necho two",
                                                        "stream_output": False}},
    ])
    assert outputs["get-user"]["stdout"] == "User: marvin World Worldx $DS_NOPE"
    assert outputs["piped"]["stdout"] == "HELLO WORLD"
    assert outputs["plain"]["stdout"] == "$DS_WHO\ntwo"


def test_an_unknown_step_is_refused_before_any_step_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    steps = [{"prefect.deployments.steps.run_shell_script": {"script": f"touch {marker}"}},
             {"prefect.deployments.steps.build_docker_image": {"image_name": "x"}}]
    with pytest.raises(StepError, match="unknown deployment step 'prefect.deployments.steps.build_docker_image': "
                                        "the built-in steps are git_clone, "):
        run_steps(steps)
    assert not marker.exists()
    with pytest.raises(StepError, match="cannot import it .*requires prefect-docker"):
        check_steps([{"prefect_docker.deployments.steps.build_docker_image": {"requires": "prefect-docker"}}])
    with pytest.raises(StepError, match="a mapping with one key"):
        check_steps([{"a.b": {}, "c.d": {}}])


def test_a_failing_step_names_itself() -> None:
    with pytest.raises(StepError, match="deployment step 'prefect.deployments.steps.run_shell_script' failed: "
                                        "`false` exited with code 1"):
        run_step({"prefect.deployments.steps.run_shell_script": {"script": "false", "stream_output": False}})


def test_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {"build": {"image": "etl:3", "size": 3}}
    assert apply_values({"a": "{{ build.image }}", "b": "v{{ build.size }}", "c": "{{ build.size }}",
                         "d": "{{ unknown.x }}"}, values) == {"a": "etl:3", "b": "v3", "c": 3, "d": "{{ unknown.x }}"}
    monkeypatch.setenv("STAGE", "prod")
    assert resolve_references({"s": "{{ $STAGE }}-x"}) == {"s": "prod-x"}
    with pytest.raises(TemplateError, match="the environment variable NOT_SET_HERE is not set"):
        resolve_references("{{ $NOT_SET_HERE }}")
    from headwater.variables import Variable

    Variable.set("team", {"name": "data"}, overwrite=True)
    assert resolve_references("{{ prefect.variables.team }}") == {"name": "data"}
    with pytest.raises(TemplateError, match="no variable named 'missing'"):
        resolve_references("{{ headwater.variables.missing }}")


def test_pull_steps_then_the_entrypoint_from_where_they_end(tmp_path: Path) -> None:
    code = tmp_path / "code"
    code.mkdir()
    (code / "job.py").write_text("from headwater import flow\n\n@flow\ndef job() -> int:\n    return 7\n")
    loaded = load_flow_after_pull_steps(
        "job.py:job", [{"prefect.deployments.steps.set_working_directory": {"directory": str(code)}}])
    assert loaded() == 7
