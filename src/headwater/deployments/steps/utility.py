"""General steps for project files (Prefect's `prefect.deployments.steps.utility`)."""

from __future__ import annotations

import shlex
import string
import subprocess
import sys
from typing import Any, Optional

__all__ = ["pip_install_requirements", "run_shell_script"]


def run_shell_script(script: str, directory: Optional[str] = None, env: Optional[dict[str, str]] = None,
                     stream_output: bool = True, expand_env_vars: bool = False, shell: bool = False) -> dict[str, str]:
    """Run each line of `script` as a command in `directory`: split into arguments, or
    with `shell=True` given to the system shell (pipes, redirects, `&&`).

    `expand_env_vars=True` replaces `$NAME` and `${NAME}` in each line from this
    environment with `env` over it (as Prefect: names not set are left as written).

    Outputs: `stdout` and `stderr`, stripped (what templating reads as
    `{{ step_id.stdout }}`).

    Raises:
        RuntimeError: a command exited with a non-zero status (named with its stderr).
    """
    import os

    environment = {**os.environ, **(env or {})}
    out_lines, err_lines = [], []
    for line in script.splitlines():
        if not line.strip():
            continue
        if expand_env_vars:
            line = string.Template(line).safe_substitute(environment)
        command: Any = line.strip() if shell else shlex.split(line)
        done = subprocess.run(command, shell=shell, cwd=directory, env=environment, capture_output=True, text=True)
        if stream_output:
            sys.stdout.write(done.stdout)
            sys.stderr.write(done.stderr)
        out_lines.append(done.stdout.strip())
        err_lines.append(done.stderr.strip())
        if done.returncode != 0:
            raise RuntimeError(f"`{line.strip()}` exited with code {done.returncode}: "
                               f"{done.stderr.strip() or done.stdout.strip()}")
    return {"stdout": "\n".join(s for s in out_lines if s), "stderr": "\n".join(s for s in err_lines if s)}


def pip_install_requirements(directory: Optional[str] = None, requirements_file: str = "requirements.txt",
                             stream_output: bool = True) -> dict[str, Any]:
    """`python -m pip install -r requirements_file` in `directory`. Outputs: `stdout`, `stderr`.

    Raises:
        RuntimeError: pip failed (its last lines named).
    """
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-r", requirements_file], cwd=directory,
                          capture_output=True, text=True)
    if stream_output:
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"pip install -r {requirements_file} failed (exit code {done.returncode}): {tail}")
    return {"stdout": done.stdout.strip(), "stderr": done.stderr.strip()}
