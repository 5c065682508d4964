"""`headwater work-pool storage inspect` and `storage configure local-file-system /
remote-file-system`, embedded; `work-pool inspect` shows the configuration."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from headwater.cli import app
from headwater.client.orchestration import get_client
from headwater.client.schemas.actions import WorkPoolUpdate
from headwater.client.schemas.objects import WorkPoolStorageConfiguration
from headwater.filesystems import LocalFileSystem, RemoteFileSystem


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["work-pool", *args])
    return result.exit_code, result.stdout, result.stderr


def test_configure_local_file_system_then_inspect(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    assert run(runner, "create", "Night_Pool")[0] == 0
    code, out, _ = run(runner, "storage", "inspect", "Night_Pool")
    assert code == 0 and "No storage configuration found for work pool 'Night_Pool'" in out
    assert run(runner, "storage", "inspect", "Night_Pool", "-o", "json")[1].strip() == "{}"

    results = tmp_path / "results"
    code, out, err = run(runner, "storage", "configure", "local-file-system", "Night_Pool", "--base-path", str(results))
    assert code == 0 and "Configured local file system storage for work pool 'Night_Pool'" in out, err
    block = LocalFileSystem.load("default-night-pool-result-storage")
    assert block.basepath == str(results)

    shown = json.loads(run(runner, "storage", "inspect", "Night_Pool", "-o", "json")[1])
    assert shown == {"type": "local-file-system", "result_storage": "local-file-system/default-night-pool-result-storage"}
    code, out, _ = run(runner, "storage", "inspect", "Night_Pool")
    assert code == 0 and "result_storage.basepath" in out and str(results) in out
    pool = json.loads(run(runner, "inspect", "Night_Pool")[1])
    assert pool["storage_configuration"]["default_result_storage_block_id"] == str(block._block_document_id)

    # Configured again: the same block, changed, and the pool still points at it.
    code, _, _ = run(runner, "storage", "configure", "remote-file-system", "Night_Pool", "--base-path", "memory://r")
    assert code == 0
    remote = RemoteFileSystem.load("default-night-pool-result-storage")
    assert remote.basepath == "memory://r"
    pool = json.loads(run(runner, "inspect", "Night_Pool")[1])
    assert pool["storage_configuration"]["default_result_storage_block_id"] == str(remote._block_document_id)


def test_inspect_shows_bundle_steps_as_prefect_does(runner: CliRunner, home: Path) -> None:
    assert run(runner, "create", "cloudy")[0] == 0
    step = {"bucket": "my-bucket", "requires": "prefect-aws"}
    with get_client(sync_client=True) as client:
        client.update_work_pool("cloudy", WorkPoolUpdate(storage_configuration=WorkPoolStorageConfiguration(
            bundle_upload_step={"prefect_aws.experimental.bundles.upload": step},
            bundle_execution_step={"prefect_aws.experimental.bundles.execute": step})))
    shown = json.loads(run(runner, "storage", "inspect", "cloudy", "--output", "json")[1])
    assert shown == {"type": "S3", "upload": step, "execution": step}
    code, out, _ = run(runner, "storage", "inspect", "cloudy")
    assert code == 0 and "S3" in out and "my-bucket" in out and "upload." not in out


def test_mistakes_are_one_line(runner: CliRunner, home: Path) -> None:
    code, _, err = run(runner, "storage", "inspect", "nowhere")
    assert code == 1 and "no work pool named 'nowhere'" in err and "Traceback" not in err
    code, _, err = run(runner, "storage", "configure", "local-file-system", "nowhere", "--base-path", "/tmp/x")
    assert code == 1 and "no work pool named 'nowhere'" in err and "Traceback" not in err
    assert run(runner, "create", "p")[0] == 0
    code, _, err = run(runner, "storage", "configure", "remote-file-system", "p", "--base-path", "not-a-url")
    assert code == 2 and "not a URL" in err
    code, _, err = run(runner, "storage", "inspect", "p", "-o", "yaml")
    assert code == 2 and "only 'json'" in err
