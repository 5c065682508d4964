"""`headwater block ...` embedded: ls, inspect (secrets masked), delete, type ls/inspect,
register -f/-m, key rotate; mistakes as one line, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from headwater.cli import app

SECRET = "cli-secret-0981"


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["block", *args])
    return result.exit_code, result.stdout, result.stderr


def test_register_ls_inspect_rotate_delete(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    source = tmp_path / "cli_blocks.py"
    source.write_text(
        "from pydantic import SecretStr\nfrom headwater.blocks.core import Block\n\n"
        "class CliWarehouse(Block):\n    \"\"\"A warehouse for the CLI test.\"\"\"\n"
        "    host: str\n    password: SecretStr\n\n"
        f"CliWarehouse(host='h', password='{SECRET}').save('prod')\n")
    code, out, err = run(runner, "register", "-f", str(source))
    assert code == 0 and "cliwarehouse" in out and "Successfully registered 1 block" in out, err
    code, out, _ = run(runner, "ls")
    assert code == 0 and "cliwarehouse/prod" in out
    code, out, _ = run(runner, "inspect", "cliwarehouse/prod", "-o", "json")
    shown = json.loads(out)
    assert shown["data"] == {"host": "h", "password": "********"} and SECRET not in out
    code, out, _ = run(runner, "type", "inspect", "cliwarehouse")
    assert code == 0 and "password (secret)" in out
    assert "cliwarehouse" in run(runner, "type", "ls")[1]
    key_before = (home / "secret.key").read_bytes()
    code, out, _ = run(runner, "key", "rotate")
    assert code == 0 and "1 block document" in out and (home / "secret.key").read_bytes() != key_before
    assert run(runner, "delete", "cliwarehouse/prod")[0] == 0
    code, _, err = run(runner, "inspect", "cliwarehouse/prod")
    assert code == 1 and err == ("Error: Block 'cliwarehouse/prod' not found. "
                                 "List the blocks with `headwater block ls`.\n")


def test_mistakes_are_one_line(runner: CliRunner, home: Path) -> None:
    code, _, err = run(runner, "inspect", "no-slash")
    assert code == 1 and "is not a block slug" in err and "Traceback" not in err
    code, _, err = run(runner, "register", "-m", "no_such_module_xyz")
    assert code == 1 and "Cannot import 'no_such_module_xyz'" in err
    code, _, err = run(runner, "register", "-m", "json")
    assert code == 1 and "No block classes found in json" in err
    code, _, err = run(runner, "type", "inspect", "none-such")
    assert code == 1 and "Block type 'none-such' not found" in err
